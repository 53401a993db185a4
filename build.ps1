# Bootstraps the build like NUKE's build.ps1: uses dotnet from PATH when it satisfies
# global.json, else installs that SDK under .nuke/temp; then builds build/_build.csproj when its
# sources changed (a content stamp, as in build.sh) and runs the built program itself.
[CmdletBinding()]
Param(
    [Parameter(Position = 0, Mandatory = $false, ValueFromRemainingArguments = $true)]
    [string[]]$BuildArguments
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = "Stop"
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8

$BuildProjectFile = "$PSScriptRoot/build/_build.csproj"
$TempDirectory = "$PSScriptRoot/.nuke/temp"
$DotNetGlobalFile = "$PSScriptRoot/global.json"
$DotNetInstallUrl = "https://dot.net/v1/dotnet-install.ps1"
$BuildProgram = "$PSScriptRoot/build/bin/Debug/net10.0/_build.dll"
$BuildStamp = "$TempDirectory/build.stamp.ps1"

$env:DOTNET_CLI_TELEMETRY_OPTOUT = 1
$env:DOTNET_NOLOGO = 1
$env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = 1
$env:DOTNET_CLI_UI_LANGUAGE = "en"

function Test-PathDotNet([string]$Required) {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { return $false }
    $requiredMajor = [int]($Required.Split('.')[0])
    $requiredBand = $Required.Substring(0, $Required.LastIndexOf('.'))
    foreach ($line in (& dotnet --list-sdks)) {
        $sdk = $line.Split(' ')[0]
        if ($sdk.Substring(0, $sdk.LastIndexOf('.')) -eq $requiredBand -or [int]($sdk.Split('.')[0]) -gt $requiredMajor) { return $true }
    }
    return $false
}

$version = (Get-Content $DotNetGlobalFile | ConvertFrom-Json).sdk.version
if (-not (Test-PathDotNet $version)) {
    $installDir = "$TempDirectory/dotnet-win"
    if (-not (Test-Path "$installDir/dotnet.exe")) {
        Write-Host "build.ps1: installing .NET SDK $version into $installDir"
        New-Item -ItemType Directory -Force -Path $TempDirectory | Out-Null
        $installScript = "$TempDirectory/dotnet-install.ps1"
        (New-Object System.Net.WebClient).DownloadFile($DotNetInstallUrl, $installScript)
        & powershell $installScript -InstallDir $installDir -Version $version -NoPath
    }
    $env:DOTNET_ROOT = $installDir
    $env:PATH = "$installDir;$env:PATH"
}

# What the build program is made from: every file of build/ and src/ (but their outputs), the
# props, global.json and the dotnet that builds it, by content. Hashing takes a fraction of a
# second; asking MSBuild whether anything changed takes seconds.
function Get-SourceStamp {
    $root = (Resolve-Path $PSScriptRoot).Path
    $files = @(Get-ChildItem -LiteralPath "$root/build", "$root/src" -Recurse -File |
        Where-Object { $_.FullName.Substring($root.Length) -notmatch '[\\/](bin|obj)[\\/]' })
    $files += @(Get-Item -LiteralPath "$root/Directory.Build.props", "$root/Directory.Packages.props", "$root/global.json")
    $names = [string[]]@($files | ForEach-Object { $_.FullName.Substring($root.Length + 1).Replace('\', '/') })
    [Array]::Sort($names, [StringComparer]::Ordinal)
    $text = New-Object System.Text.StringBuilder
    [void]$text.AppendLine((Get-Command dotnet).Source)
    foreach ($name in $names) {
        [void]$text.AppendLine("$((Get-FileHash -LiteralPath (Join-Path $root $name) -Algorithm SHA256).Hash)  $name")
    }
    $sha = [System.Security.Cryptography.SHA256]::Create()
    return [System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($text.ToString()))).Replace('-', '')
}

# Builds only when the sources changed since the last build, then runs the program itself:
# `dotnet run` would evaluate the project again before every run.
$stamp = Get-SourceStamp
if (-not (Test-Path $BuildProgram) -or -not (Test-Path $BuildStamp) -or (Get-Content -Raw $BuildStamp).Trim() -ne $stamp) {
    Remove-Item -Force -ErrorAction SilentlyContinue $BuildStamp
    dotnet build $BuildProjectFile -nologo -clp:NoSummary --verbosity quiet
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    New-Item -ItemType Directory -Force -Path $TempDirectory | Out-Null
    Set-Content -Path $BuildStamp -Value $stamp -NoNewline
}
dotnet $BuildProgram $BuildArguments
exit $LASTEXITCODE
