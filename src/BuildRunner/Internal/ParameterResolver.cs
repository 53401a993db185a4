namespace BuildRunner.Internal;

/// <summary>
/// Sets each parameter from the first place that has a value: the command line, then its
/// environment variables in order, then <c>.nuke/parameters.json</c>. Otherwise the member
/// keeps its initializer. Secret values are registered with the masker before anything prints.
/// </summary>
internal static class ParameterResolver
{
    /// <returns>
    /// The member names of the parameters the user chose: given on the command line or in the
    /// environment. The parameters file holds the repository's defaults, so it does not count.
    /// </returns>
    public static IReadOnlySet<string> Resolve(
        object build,
        IReadOnlyList<ParameterMember> parameters,
        IReadOnlyDictionary<string, IReadOnlyList<string>> arguments,
        Func<string, string?> environment,
        string parametersFile)
    {
        var file = ParametersFile.Load(parametersFile);
        var given = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (Find(parameter, arguments, environment, file, parametersFile) is { } value)
            {
                parameter.SetValue(build, Parse(parameter, value));
                if (value.ByUser)
                {
                    given.Add(parameter.Member.Name);
                }
            }

            if (parameter.IsSecret)
            {
                RegisterSecret(parameter.GetValue(build));
            }
        }

        return given;
    }

    private sealed record GivenValue(IReadOnlyList<string> Words, string Source, bool ByUser = true);

    private static GivenValue? Find(
        ParameterMember parameter,
        IReadOnlyDictionary<string, IReadOnlyList<string>> arguments,
        Func<string, string?> environment,
        IReadOnlyDictionary<string, IReadOnlyList<string>> file,
        string parametersFile)
    {
        if (arguments.TryGetValue(parameter.Flag, out var words))
        {
            return new GivenValue(words, "the command line");
        }

        foreach (var name in parameter.EnvironmentNames)
        {
            // CI systems set a missing secret to an empty string; that is "not set", not a value.
            if (environment(name) is { Length: > 0 } value)
            {
                return new GivenValue([value], $"environment variable {name}");
            }
        }

        return file.TryGetValue(parameter.Name, out words) ? new GivenValue(words, parametersFile, ByUser: false) : null;
    }

    private static object? Parse(ParameterMember parameter, GivenValue given)
    {
        if (ParameterValueParser.TryParse(parameter.ValueType, given.Words, out var value))
        {
            return value;
        }

        var expected = ParameterValueParser.Expectation(parameter.ValueType);
        var got = given.Words.Count == 0 ? "no value"
            : parameter.IsSecret ? "a value that is not (secret, not shown)"
            : $"'{string.Join(' ', given.Words)}'";
        throw new BuildFailedException($"{parameter.Flag} expects {expected}, but {given.Source} gives {got}.");
    }

    /// <summary>Only text can leak into a log line; a secret number or flag would mask unrelated output.</summary>
    private static void RegisterSecret(object? value)
    {
        switch (value)
        {
            case string text:
                SecretMasker.Register(text);
                break;
            case string[] texts:
                Array.ForEach(texts, SecretMasker.Register);
                break;
        }
    }
}
