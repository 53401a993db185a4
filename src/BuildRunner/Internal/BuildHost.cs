namespace BuildRunner.Internal;

/// <summary>
/// One run, start to end: parameters, targets, plan, requirements, execution, summary. Every
/// check that can fail without running anything happens before the first target starts.
/// </summary>
internal static class BuildHost
{
    public static async Task<int> RunAsync<T>(
        T build, Func<T, Target>? defaultTarget, IReadOnlyList<string> args, HostSettings settings, CancellationToken cancellation)
        where T : NukeBuild
    {
        var output = BuildOutput.Current = new BuildOutput(settings.Output, settings.Rich, settings.IsGitHubActions, verbose: false);
        try
        {
            var parameters = ParameterMember.Discover(build.GetType());
            var commandLine = CommandLine.Parse(args, flag => ArityOf(flag, parameters));
            output = BuildOutput.Current = output.WithVerbose(commandLine.IsSet("--verbose"));
            RejectUnknownOptions(commandLine, parameters);

            var root = RepositoryRoot.Find(settings.WorkingDirectory);
            build.UseRootDirectory(root);
            BuildSchema.Write(root, build.GetType());
            build.UseGivenParameters(ParameterResolver.Resolve(
                build, parameters, commandLine.Options, settings.GetEnvironmentVariable, RepositoryRoot.ParametersFile(root)));

            // Targets are read after the parameters are set: a description may quote one.
            var targets = new TargetLookup(TargetDiscovery.Discover(build));
            var defaultName = defaultTarget is null ? null : targets.Declared(defaultTarget(build), "The default target").Name;
            if (commandLine.IsSet("--help"))
            {
                HelpText.Write(output, build, targets, defaultName, parameters);
                return 0;
            }

            var plan = TargetPlanner.Plan(targets.All, Requested(commandLine, defaultName, targets), commandLine.Values("--skip"));
            if (commandLine.IsSet("--plan"))
            {
                PlanText.Write(output, plan);
                return 0;
            }

            RequirementChecker.Check(plan, parameters);
            build.UseScheduledTargets(plan.Where(t => !t.Skipped).Select(t => t.Definition.Name));
            var result = await new TargetExecutor(output).RunAsync(plan, cancellation);
            SummaryTable.Write(output, result);
            return result.ExitCode;
        }
        catch (BuildFailedException exception)
        {
            output.Error(exception.Message);
            return 1;
        }
        catch (Exception exception)
        {
            // A defect in the build class itself (a throwing getter, say), not in a target.
            output.Error($"{exception.Message} ({exception.GetType().Name})");
            output.Debug(exception.ToString());
            return 1;
        }
    }

    private static IReadOnlyList<string> Requested(CommandLine commandLine, string? defaultName, TargetLookup targets) =>
        commandLine.Targets.Count > 0 ? commandLine.Targets
        : defaultName is not null ? [defaultName]
        : throw new BuildFailedException(
            $"No target given. Valid targets: {string.Join(", ", targets.All.Select(t => t.Name))} (see --help).");

    /// <summary>Unknown flags take every following word, so the unknown-option error shows them whole.</summary>
    private static OptionArity ArityOf(string flag, IReadOnlyList<ParameterMember> parameters) =>
        CommandLine.BuiltIns.FirstOrDefault(o => o.Flag == flag)?.Arity
        ?? parameters.Where(p => p.Flag == flag).Select(p => (OptionArity?)ParameterValueParser.Arity(p.ValueType)).FirstOrDefault()
        ?? OptionArity.List;

    private static void RejectUnknownOptions(CommandLine commandLine, IReadOnlyList<ParameterMember> parameters)
    {
        var valid = CommandLine.BuiltIns.Select(o => o.Flag).Concat(parameters.Select(p => p.Flag)).ToList();
        var unknown = commandLine.Options.Keys.Where(flag => !valid.Contains(flag)).ToList();
        if (unknown.Count > 0)
        {
            throw new BuildFailedException(
                $"Unknown option {string.Join(", ", unknown)}. Valid options: {string.Join(", ", valid)}.");
        }
    }
}

/// <summary>Everything the host takes from the process, so tests can hand in their own.</summary>
internal sealed record HostSettings(
    string WorkingDirectory,
    Func<string, string?> GetEnvironmentVariable,
    TextWriter Output,
    bool Rich)
{
    public static HostSettings FromConsole() => new(
        Directory.GetCurrentDirectory(),
        Environment.GetEnvironmentVariable,
        Console.Out,
        BuildOutput.IsRichConsole(Environment.GetEnvironmentVariable));

    public bool IsGitHubActions =>
        string.Equals(GetEnvironmentVariable("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);
}
