# Bootstraps the build like NUKE's build.ps1: uses dotnet from PATH when it satisfies
# global.json, else installs that SDK under .nuke/temp; then builds and runs build/_build.csproj.
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

dotnet build $BuildProjectFile -nologo -clp:NoSummary --verbosity quiet
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
dotnet run --project $BuildProjectFile --no-build --no-launch-profile -- $BuildArguments
exit $LASTEXITCODE
