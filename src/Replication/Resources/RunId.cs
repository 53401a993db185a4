using System.Security.Cryptography;

namespace PostgresReplication;

/// <summary>
/// Names one run of the pipeline or of a test: every container, network and volume it creates
/// carries it as a label, so a run's leftovers can be found after a crash or Ctrl-C.
/// </summary>
public readonly record struct RunId
{
    public RunId(string value)
    {
        if (string.IsNullOrEmpty(value) || !value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new ArgumentException($"A run id is lower-case letters and digits, not '{value}'.", nameof(value));
        }

        Value = value;
    }

    public string Value { get; }

    /// <summary>8 hex characters: short enough for names, random enough for parallel runs.</summary>
    public static RunId New() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));

    public override string ToString() => Value;
}
