using System.Globalization;
using System.Text;

namespace SockTools.Completers
{
    /// <summary>
    /// Characters that do not show as themselves: control characters (newline, tab, ESC, which a terminal
    /// acts on), line and paragraph separators, and format characters such as bidirectional overrides,
    /// which make text read differently from what it is. A process may put any of them in its name.
    /// </summary>
    internal static class HiddenCharacters
    {
        internal static bool IsHidden(char c)
        {
            if (char.IsControl(c))
            {
                return true;
            }

            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
            return category == UnicodeCategory.LineSeparator
                || category == UnicodeCategory.ParagraphSeparator
                || category == UnicodeCategory.Format;
        }

        internal static bool Any(string text)
        {
            foreach (char c in text)
            {
                if (IsHidden(c))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The text for list entries and tooltips: each hidden character written as PowerShell's
        /// `u{...} escape, so a name cannot move the cursor, recolour the terminal or break the menu.
        /// </summary>
        internal static string MakeVisible(string text)
        {
            if (!Any(text))
            {
                return text;
            }

            var visible = new StringBuilder(text.Length + 16);
            foreach (char c in text)
            {
                if (IsHidden(c))
                {
                    visible.Append("`u{").Append(((int)c).ToString("X", CultureInfo.InvariantCulture)).Append('}');
                }
                else
                {
                    visible.Append(c);
                }
            }

            return visible.ToString();
        }
    }
}
