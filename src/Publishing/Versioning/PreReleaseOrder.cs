namespace PostgresReplication.Publishing;

/// <summary>SemVer 2.0 precedence of pre-release labels (spec item 11).</summary>
internal static class PreReleaseOrder
{
    public static int Compare(string left, string right)
    {
        // A release (empty label) outranks any pre-release of the same core version.
        if (left.Length == 0 || right.Length == 0)
        {
            return Math.Sign(right.Length - left.Length);
        }

        var a = left.Split('.');
        var b = right.Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var order = CompareIdentifier(a[i], b[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return a.Length.CompareTo(b.Length);
    }

    private static int CompareIdentifier(string a, string b) =>
        (IsNumeric(a), IsNumeric(b)) switch
        {
            // Numeric identifiers have no leading zeros, so the longer one is larger; this also
            // orders numbers too big for any integer type.
            (true, true) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : Math.Sign(string.CompareOrdinal(a, b)),
            (true, false) => -1,
            (false, true) => 1,
            _ => Math.Sign(string.CompareOrdinal(a, b)),
        };

    private static bool IsNumeric(string identifier) => identifier.All(char.IsAsciiDigit);
}
