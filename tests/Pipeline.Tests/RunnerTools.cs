namespace Pipeline.Tests;

/// <summary>Where a program comes from on GitHub's ubuntu-24.04 runner (actions/runner-images, Ubuntu2404-Readme.md).</summary>
internal abstract record RunnerSource
{
    /// <summary>On PATH in the runner image as it is.</summary>
    public sealed record Preinstalled : RunnerSource
    {
        public override string ToString() => "preinstalled";
    }

    /// <summary>Not in the image: ci.yml installs the Ubuntu package before the tests.</summary>
    public sealed record Apt(string Package) : RunnerSource
    {
        public override string ToString() => $"ci.yml: apt-get install {Package}";
    }

    /// <summary>Not in the image, or not in the version needed: ci.yml runs this action.</summary>
    public sealed record Action(string Uses) : RunnerSource
    {
        public override string ToString() => $"ci.yml: {Uses}";
    }

    /// <summary>Absent there and not needed there, for the reason given.</summary>
    public sealed record NotNeeded(string Why) : RunnerSource
    {
        public override string ToString() => $"absent, not needed: {Why}";
    }
}

/// <summary>A program the tests or targets run on the host, and where it comes from on Debian and on GitHub.</summary>
internal sealed record RunnerTool(string Program, string UsedBy, string Debian, RunnerSource GitHub);

/// <summary>
/// The one list of the host programs the tests and targets run: the README's tool table says the
/// same, ci.yml installs each one GitHub's runner lacks, and the code calls no program outside it
/// (RunnerToolsTests holds all three to it). Checked against the runner's published software list.
/// </summary>
internal static class RunnerTools
{
    public static readonly IReadOnlyList<RunnerTool> All =
    [
        new("dotnet", "everything (.NET SDK of global.json)", "Microsoft's packages or dotnet-install.sh", new RunnerSource.Action("actions/setup-dotnet")),
        new("docker", "every target and scenario (engine and CLI)", "docker.io", new RunnerSource.Preinstalled()),
        new("docker compose", "the compose scenario (Compose v2, the CLI plugin)", "docker-compose from sid (.ci/install-compose-v2.sh)", new RunnerSource.Preinstalled()),
        new("docker-compose", "the compose scenario where the v2 plugin is missing (Compose v1)", "docker-compose", new RunnerSource.NotNeeded("the v2 plugin is used")),
        new("git", "release tags, the non-root run", "git", new RunnerSource.Preinstalled()),
        new("bash", "the offline base's bootstrap, build.sh", "bash", new RunnerSource.Preinstalled()),
        new("chown", "the Kubernetes volume tests", "coreutils", new RunnerSource.Preinstalled()),
        new("env", "the environment validation table (docker/lib sourced into a clean bash)", "coreutils", new RunnerSource.Preinstalled()),
        new("postgres", "the environment validation table (the server's limits from postgres --describe-config; PG_BINDIR or the newest /usr/lib/postgresql/*/bin)", "postgresql-15 (any postgresql-NN)", new RunnerSource.Preinstalled()),
        new("pgbench", "the pgbench scenario, Benchmark", "postgresql-client", new RunnerSource.Preinstalled()),
        new("psql", "the HA compose scenario (libpq's multi-host target_session_attrs=read-write)", "postgresql-client", new RunnerSource.Preinstalled()),
        new("kubectl", "the Kubernetes tests (kubectl kustomize)", "kubectl (Kubernetes' apt repository)", new RunnerSource.Preinstalled()),
        new("node", "the Kubernetes manifest validator (Node.js 22, as kubernetes-models asks)", "nodejs", new RunnerSource.Action("actions/setup-node")),
        new("npm", "installs the manifest validator's packages", "npm", new RunnerSource.Action("actions/setup-node")),
        new("docker-registry", "the publishing tests' registry on 127.0.0.1", "docker-registry", new RunnerSource.Apt("docker-registry")),
        new("htpasswd", "the publishing tests' registry password", "apache2-utils", new RunnerSource.Apt("apache2-utils")),
        new("qemu-aarch64", "the multi-platform test, PlatformImages (arm64 under emulation)", "qemu-user-static binfmt-support", new RunnerSource.Action("docker/setup-qemu-action")),
        new("debootstrap", "BaseImage when no postgres:N can be pulled (offline base)", "debootstrap", new RunnerSource.NotNeeded("postgres:N is pulled")),
        new("pwsh", "build.ps1", "PowerShell dotnet tool (.ci/run)", new RunnerSource.Preinstalled()),
    ];
}
