using System.Text;

namespace Pipeline.Tests;

/// <summary>
/// Splits a shell script into words and control operators, enough to find commands in CI
/// <c>run:</c> blocks: quotes, backslash-newline continuations, comments, and GitHub's
/// <c>${{ ... }}</c> expressions (which contain spaces) each stay one word. Not a shell parser.
/// </summary>
internal static class ShellWords
{
    /// <summary>
    /// Ends a command's words: newline, ';', '&amp;', '|', '(', ')', or a redirection ('&lt;', '&gt;'),
    /// after which no further target can follow.
    /// </summary>
    public const string Separator = "\n";

    public static IReadOnlyList<string> Split(string script)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var text = script.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);

        void EndWord()
        {
            if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\'' or '"')
            {
                var close = text.IndexOf(c, i + 1);
                close = close < 0 ? text.Length : close;
                word.Append(text, i + 1, close - i - 1);
                i = close;
            }
            else if (c == '$' && string.CompareOrdinal(text, i, "${{", 0, 3) == 0)
            {
                var close = text.IndexOf("}}", i, StringComparison.Ordinal);
                close = close < 0 ? text.Length : close + 2;
                word.Append(text, i, close - i);
                i = close - 1;
            }
            else if (c == '#' && word.Length == 0)
            {
                var end = text.IndexOf('\n', i);
                i = (end < 0 ? text.Length : end) - 1;
            }
            else if (c is '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>')
            {
                EndWord();
                words.Add(Separator);
            }
            else if (char.IsWhiteSpace(c))
            {
                EndWord();
            }
            else
            {
                word.Append(c);
            }
        }

        EndWord();
        return words;
    }
}
