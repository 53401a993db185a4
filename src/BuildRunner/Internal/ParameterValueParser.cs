using System.Globalization;

namespace BuildRunner.Internal;

/// <summary>Converts the words given for a parameter into its member's type.</summary>
internal static class ParameterValueParser
{
    private static readonly char[] ListSeparators = [',', ' ', '\t', '\r', '\n'];

    public static bool IsSupported(Type type)
    {
        var scalar = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string[]) || scalar.IsEnum
            || scalar == typeof(string) || scalar == typeof(int) || scalar == typeof(bool)
            || scalar == typeof(double) || scalar == typeof(TimeSpan);
    }

    public static OptionArity Arity(Type type) =>
        type == typeof(string[]) ? OptionArity.List
        : (Nullable.GetUnderlyingType(type) ?? type) == typeof(bool) ? OptionArity.Flag
        : OptionArity.Single;

    /// <summary>The word after the flag in <c>--help</c>, e.g. <c>--pg-version &lt;integer&gt;</c>.</summary>
    public static string Placeholder(Type type)
    {
        var scalar = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string[]) ? "<list>"
            : scalar == typeof(bool) ? "[true|false]"
            : scalar == typeof(int) ? "<integer>"
            : scalar == typeof(double) ? "<number>"
            : scalar == typeof(TimeSpan) ? "<seconds>"
            : scalar.IsEnum ? $"<{string.Join('|', Enum.GetNames(scalar))}>"
            : "<text>";
    }

    /// <summary>What a parse error says was expected.</summary>
    public static string Expectation(Type type)
    {
        var scalar = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string[]) ? "a list of values"
            : scalar == typeof(bool) ? "true or false"
            : scalar == typeof(int) ? "an integer"
            : scalar == typeof(double) ? "a number"
            : scalar == typeof(TimeSpan) ? "a number of seconds"
            : scalar.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(scalar))}"
            : "a single value";
    }

    public static bool TryParse(Type type, IReadOnlyList<string> words, out object? value)
    {
        var scalar = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string[]))
        {
            value = words.SelectMany(w => w.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries)).ToArray();
        }
        else if (scalar == typeof(bool) && words.Count == 0)
        {
            value = true;
        }
        else
        {
            value = words.Count == 1 ? ParseScalar(scalar, words[0]) : null;
        }

        return value is not null;
    }

    private static object? ParseScalar(Type type, string word)
    {
        var text = word.Trim();
        var invariant = CultureInfo.InvariantCulture;
        if (type == typeof(string))
        {
            return word;
        }

        if (type == typeof(int))
        {
            return int.TryParse(text, NumberStyles.Integer, invariant, out var number) ? number : null;
        }

        if (type == typeof(double))
        {
            return double.TryParse(text, NumberStyles.Float, invariant, out var number) ? number : null;
        }

        if (type == typeof(TimeSpan))
        {
            return double.TryParse(text, NumberStyles.Float, invariant, out var seconds)
                && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : null;
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(text, out var flag) ? flag : null;
        }

        // Enum.TryParse also accepts numbers and undefined values; a user should type a name.
        return type.IsEnum && text.Length > 0 && char.IsLetter(text[0])
            && Enum.TryParse(type, text, ignoreCase: true, out var member) && Enum.IsDefined(type, member!)
                ? member
                : null;
    }
}
