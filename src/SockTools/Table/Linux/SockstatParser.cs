using System;
using System.Collections.Generic;
using System.Globalization;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Parses /proc/net/sockstat and sockstat6: lines such as "TCP: inuse 12 orphan 0 tw 9 alloc 240 mem 59",
    /// a group, then words and numbers in pairs. Each figure is taken by its word, never by its place, into
    /// "GROUP word" keys ("TCP inuse", "TCP6 inuse"). Pure, and like <see cref="SnmpParser"/> it never throws on
    /// bad input: what cannot be read is left out and described in <c>problems</c>.
    /// </summary>
    internal static class SockstatParser
    {
        internal static Dictionary<string, long> Parse(string text, ICollection<string>? problems = null)
        {
            var figures = new Dictionary<string, long>(StringComparer.Ordinal);
            Parse(text, figures, problems);
            return figures;
        }

        /// <summary>Adds the figures of one file to <paramref name="figures"/>; the first of a key wins.</summary>
        internal static void Parse(string text, IDictionary<string, long> figures, ICollection<string>? problems = null)
        {
            int number = 0;
            foreach (string raw in text.Split('\n'))
            {
                number++;
                string line = raw.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                int colon = line.IndexOf(':');
                string group = colon > 0 ? line.Substring(0, colon) : string.Empty;
                string[] words = colon > 0 ? line.Substring(colon + 1).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
                if (!IsWord(group) || words.Length == 0 || words.Length % 2 != 0)
                {
                    problems?.Add($"Line {number} is not a group with word and number pairs: {SnmpParser.Shorten(line)}");
                    continue;
                }

                for (int i = 0; i < words.Length; i += 2)
                {
                    string key = group + " " + words[i];
                    if (!IsWord(words[i]) || !long.TryParse(words[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                    {
                        problems?.Add($"'{SnmpParser.Shorten(words[i])} {SnmpParser.Shorten(words[i + 1])}' on line {number} is not a word and a number; it is left out.");
                        continue;
                    }

                    if (figures.ContainsKey(key))
                    {
                        problems?.Add($"{key} appears twice; the first value is kept.");
                        continue;
                    }

                    figures[key] = value;
                }
            }
        }

        private static bool IsWord(string word)
        {
            if (word.Length == 0 || word.Length > 32)
            {
                return false;
            }

            foreach (char c in word)
            {
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
