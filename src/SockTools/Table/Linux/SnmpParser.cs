using System;
using System.Collections.Generic;
using System.Globalization;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Parses the kernel's counter files into name -> value, names as nstat prints them (group and field:
    /// TcpExt + ListenOverflows = TcpExtListenOverflows):
    /// <list type="bullet">
    /// <item>/proc/net/snmp and /proc/net/netstat: pairs of lines, a header "Tcp: RtoAlgorithm RtoMin ..." and
    /// its values "Tcp: 1 200 ...". Which field is which comes from the header of the same pair, never from
    /// a position known in advance: kernels add fields, and a field an older kernel lacks is simply absent.</item>
    /// <item>/proc/net/snmp6: one "Udp6InDatagrams 0" per line.</item>
    /// </list>
    /// Pure: text in, counters out. Nothing here throws on bad input: a pair whose lines do not match, a value
    /// that is no number, a name that is no name are left out and described in <c>problems</c>, and the rest
    /// is kept, so one odd line never costs the others.
    /// </summary>
    internal static class SnmpParser
    {
        /// <summary>Adds the counters of a header/value file (snmp, netstat) to <paramref name="counters"/>; the first of a name wins.</summary>
        internal static void ParsePairs(string text, IDictionary<string, long> counters, ICollection<string>? problems = null)
        {
            List<string> lines = Lines(text);
            int i = 0;
            while (i < lines.Count)
            {
                string header = lines[i];
                if (!SplitGroup(header, out string group, out string[] names) || !AllNames(names))
                {
                    problems?.Add($"Line {i + 1} is not a header of counter names: {Shorten(header)}");
                    i++;
                    continue;
                }

                if (i + 1 >= lines.Count)
                {
                    problems?.Add($"The header of {group} (line {i + 1}) has no line of values after it.");
                    break;
                }

                string valuesLine = lines[i + 1];
                if (!SplitGroup(valuesLine, out string valuesGroup, out string[] values) || valuesGroup != group)
                {
                    // Not this header's values: perhaps the next header. Try again from there.
                    problems?.Add($"The header of {group} (line {i + 1}) is followed by another line than its values: {Shorten(valuesLine)}");
                    i++;
                    continue;
                }

                i += 2;
                if (values.Length != names.Length)
                {
                    // Which value belongs to which name is unknowable now: better none than wrong ones.
                    problems?.Add($"{group} names {names.Length} counters but has {values.Length} values (lines {i - 1} and {i}); its counters are left out.");
                    continue;
                }

                for (int k = 0; k < names.Length; k++)
                {
                    Add(counters, group + names[k], values[k], problems);
                }
            }
        }

        /// <summary>Adds the counters of a one-counter-per-line file (snmp6) to <paramref name="counters"/>; the first of a name wins.</summary>
        internal static void ParseLines(string text, IDictionary<string, long> counters, ICollection<string>? problems = null)
        {
            List<string> lines = Lines(text);
            for (int i = 0; i < lines.Count; i++)
            {
                string[] words = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length != 2 || !IsName(words[0]))
                {
                    problems?.Add($"Line {i + 1} is not a counter name and its value: {Shorten(lines[i])}");
                    continue;
                }

                Add(counters, words[0], words[1], problems);
            }
        }

        private static void Add(IDictionary<string, long> counters, string name, string value, ICollection<string>? problems)
        {
            // Counters are unsigned in the kernel, but a few fields are signed (Tcp MaxConn is -1: no limit).
            if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
            {
                problems?.Add($"{name} has the value '{Shorten(value)}', which is no number that fits 64 bits; it is left out.");
                return;
            }

            if (counters.ContainsKey(name))
            {
                problems?.Add($"{name} appears twice; the first value is kept.");
                return;
            }

            counters[name] = number;
        }

        private static List<string> Lines(string text)
        {
            var lines = new List<string>();
            foreach (string line in text.Split('\n'))
            {
                string trimmed = line.Trim();
                if (trimmed.Length > 0)
                {
                    lines.Add(trimmed);
                }
            }

            return lines;
        }

        /// <summary>"Tcp: a b c" -> "Tcp" and [a, b, c]; false without a group name before a colon.</summary>
        private static bool SplitGroup(string line, out string group, out string[] words)
        {
            int colon = line.IndexOf(':');
            group = colon > 0 ? line.Substring(0, colon) : string.Empty;
            words = colon > 0 ? line.Substring(colon + 1).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
            return colon > 0 && IsName(group) && words.Length > 0;
        }

        private static bool AllNames(string[] words)
        {
            foreach (string word in words)
            {
                if (!IsName(word))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A counter or group name: ASCII letters and digits, starting with a letter (what the kernel uses).</summary>
        private static bool IsName(string word)
        {
            if (word.Length == 0 || word.Length > 64 || !IsLetter(word[0]))
            {
                return false;
            }

            foreach (char c in word)
            {
                if (!IsLetter(c) && !(c >= '0' && c <= '9'))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsLetter(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');

        /// <summary>At most 60 characters of a bad line for a -Verbose message, control characters as '?'.</summary>
        internal static string Shorten(string text)
        {
            var shown = new System.Text.StringBuilder(Math.Min(text.Length, 60));
            for (int i = 0; i < text.Length && i < 60; i++)
            {
                shown.Append(char.IsControl(text[i]) ? '?' : text[i]);
            }

            return text.Length <= 60 ? shown.ToString() : shown.ToString(0, 57) + "...";
        }
    }
}
