using System.Text;

namespace BuildRunner.Internal;

/// <summary>Spells a member name the way a shell user types it: <c>PgVersion</c> → <c>pg-version</c>, <c>PG_VERSION</c>.</summary>
internal static class NameCasing
{
    public static string Kebab(string memberName) => string.Join('-', Words(memberName)).ToLowerInvariant();

    public static string ScreamingSnake(string memberName) => string.Join('_', Words(memberName)).ToUpperInvariant();

    /// <summary>Splits before an upper-case letter that starts a word; keeps acronyms together (<c>CIBuild</c> → CI, Build).</summary>
    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '_' or '-')
            {
                Flush();
                continue;
            }

            if (char.IsUpper(c) && word.Length > 0)
            {
                var previous = name[i - 1];
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                {
                    Flush();
                }
            }

            word.Append(c);
        }

        Flush();
        return words;

        void Flush()
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
    }
}
