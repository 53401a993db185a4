using System.Collections.Immutable;

namespace BuildRunner;

/// <summary>
/// Replaces secret values in text. The runner registers every [Secret] parameter's value and
/// passes all its output through <see cref="Mask"/>; build code can do the same with output
/// it writes itself (a tool's stderr, for example).
/// </summary>
public static class SecretMasker
{
    public const string Replacement = "*****";

    // Secrets are facts about the process, not about one run, so the list is global.
    // Longest first, so a secret that contains another is masked whole.
    private static ImmutableArray<string> secrets = [];

    public static void Register(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        ImmutableInterlocked.Update(ref secrets, known => known.Contains(secret)
            ? known
            : [.. known.Add(secret).OrderByDescending(s => s.Length)]);
    }

    public static string Mask(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        foreach (var secret in secrets)
        {
            text = text.Replace(secret, Replacement, StringComparison.Ordinal);
        }

        return text;
    }
}
