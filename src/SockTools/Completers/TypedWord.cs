using System.Management.Automation;
using System.Text;

namespace SockTools.Completers
{
    /// <summary>
    /// What the user typed before pressing Tab, as a test for candidates: a prefix that may hold
    /// wildcards, matched ignoring case. The quotes the user may have opened are not part of it.
    /// </summary>
    internal sealed class TypedWord
    {
        private readonly WildcardPattern _pattern;

        internal TypedWord(string? wordToComplete)
        {
            string text = Unquote(wordToComplete ?? string.Empty);
            _pattern = new WildcardPattern(text + "*", WildcardOptions.IgnoreCase);
            try
            {
                _pattern.IsMatch(string.Empty); // parses the pattern: "zq[" is not a valid wildcard
            }
            catch (WildcardPatternException)
            {
                _pattern = new WildcardPattern(WildcardPattern.Escape(text) + "*", WildcardOptions.IgnoreCase);
            }
        }

        internal bool Matches(string candidate) => _pattern.IsMatch(candidate);

        /// <summary>'zq|Ge or "zq|Ge (closed or not) is zq|Ge; a doubled quote inside single quotes is one.</summary>
        private static string Unquote(string word)
        {
            if (word.Length == 0)
            {
                return word;
            }

            char open = word[0];
            if (ArgumentToken.IsDoubleQuote(open))
            {
                string inner = word.Substring(1);
                return inner.Length > 0 && ArgumentToken.IsDoubleQuote(inner[inner.Length - 1]) ? inner.Substring(0, inner.Length - 1) : inner;
            }

            if (!ArgumentToken.IsSingleQuote(open))
            {
                return word;
            }

            var text = new StringBuilder(word.Length);
            for (int i = 1; i < word.Length; i++)
            {
                if (ArgumentToken.IsSingleQuote(word[i]))
                {
                    if (i + 1 < word.Length && ArgumentToken.IsSingleQuote(word[i + 1]))
                    {
                        text.Append(word[i + 1]);
                        i++;
                        continue;
                    }

                    break; // the closing quote
                }

                text.Append(word[i]);
            }

            return text.ToString();
        }
    }
}
