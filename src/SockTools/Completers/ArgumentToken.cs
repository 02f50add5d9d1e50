using System.Text;

namespace SockTools.Completers
{
    /// <summary>
    /// Turns a value into the text completion inserts: exactly one argument token whose value is the
    /// value, whatever it contains. Process names are chosen by whoever starts the process, so a name
    /// such as <c>x|Get-Date</c> or <c>$(evil)</c> must never become code on the user's command line.
    /// </summary>
    internal static class ArgumentToken
    {
        /// <summary>
        /// The token for <paramref name="value"/>: bare when it is a plain word, single-quoted otherwise.
        /// False for values with hidden characters (newline, tab, ESC...): no token would show the user
        /// what they are about to run.
        /// </summary>
        internal static bool TryMake(string value, out string token)
        {
            token = string.Empty;
            if (value.Length == 0 || HiddenCharacters.Any(value))
            {
                return false;
            }

            if (IsPlainWord(value))
            {
                token = value;
                return true;
            }

            // Inside single quotes nothing expands ($, `, subexpressions); the only special characters
            // are the quotes themselves, written twice. PowerShell takes the typographic single quotes
            // as quotes too, so they are doubled as well.
            var quoted = new StringBuilder(value.Length + 4).Append('\'');
            foreach (char c in value)
            {
                quoted.Append(c);
                if (IsSingleQuote(c))
                {
                    quoted.Append(c);
                }
            }

            token = quoted.Append('\'').ToString();
            return true;
        }

        /// <summary>
        /// ASCII letters, digits, '_', '.', '-' and starting with a letter or '_': such a word is a plain
        /// string argument. A leading digit could read as a number (1kb, 0x10, 1e3), a leading '-' as a
        /// parameter name, anything else might be an operator or a quote.
        /// </summary>
        private static bool IsPlainWord(string value)
        {
            if (!IsLetter(value[0]) && value[0] != '_')
            {
                return false;
            }

            foreach (char c in value)
            {
                if (!IsLetter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '.' && c != '-')
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        /// <summary>The characters PowerShell's tokenizer treats as a single quote.</summary>
        internal static bool IsSingleQuote(char c)
            => c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';

        /// <summary>The characters PowerShell's tokenizer treats as a double quote.</summary>
        internal static bool IsDoubleQuote(char c)
            => c == '"' || c == '\u201C' || c == '\u201D' || c == '\u201E';
    }
}
