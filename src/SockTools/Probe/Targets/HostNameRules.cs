using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;

namespace SockTools.Probe
{
    /// <summary>
    /// What a host name (not an IP literal) may look like before it goes to the resolver: no control
    /// characters, no characters that only belong to URLs, paths or IPv6 zones, DNS's length limits,
    /// and no all-digit name that is not an IPv4 address (the resolver would send 300.1.1.1 to DNS).
    /// </summary>
    internal static class HostNameRules
    {
        /// <summary>RFC 1035: at most 253 characters in the written form (without a trailing dot), 63 per label.</summary>
        internal const int MaxLength = 253;

        internal const int MaxLabelLength = 63;

        private const int ShownLength = 60;

        /// <summary>The first control character of <paramref name="text"/> (NUL, a line break, ...), or null; checked before anything else reads the text.</summary>
        internal static string? ControlCharacterProblem(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsControl(text[i]))
                {
                    return $"The computer name '{Shown(text)}' contains the control character U+{(int)text[i]:X4} at position {i + 1}; a host name has letters, digits, '-' and '.' only.";
                }
            }

            return null;
        }

        /// <summary>Why <paramref name="host"/> cannot be a host name, or null when it can. <paramref name="input"/> is the whole value, for messages.</summary>
        internal static string? Problem(string host, string input)
        {
            foreach (char c in host)
            {
                if (char.IsWhiteSpace(c) || c == '/' || c == '\\' || c == '@' || c == '[' || c == ']')
                {
                    return $"'{input}' is not a host name: it contains '{c}'.";
                }

                if (c == '%')
                {
                    return $"'{input}' is not a host name: it contains '%', which only follows an IPv6 address to name its interface (fe80::1%eth0).";
                }
            }

            string written = host.EndsWith(".", System.StringComparison.Ordinal) ? host.Substring(0, host.Length - 1) : host;
            if (written.Length > MaxLength)
            {
                return $"'{Shown(host)}' is {written.Length} characters long; a host name has at most {MaxLength}.";
            }

            string[] labels = written.Split('.');
            if (labels.Any(l => l.Length == 0))
            {
                return $"'{input}' is not a host name: it has an empty part between dots (a dot at the start or two in a row).";
            }

            string? longLabel = labels.FirstOrDefault(l => l.Length > MaxLabelLength);
            if (longLabel != null)
            {
                return $"'{Shown(host)}' has a part of {longLabel.Length} characters between dots ('{Shown(longLabel)}'); each part of a host name has at most {MaxLabelLength}.";
            }

            if (labels.All(IsDigits))
            {
                return NumericProblem(host, labels);
            }

            return null;
        }

        /// <summary>Long values are cut in messages, with their length, so one bad value cannot flood the console.</summary>
        internal static string Shown(string text)
        {
            var shown = new StringBuilder();
            foreach (char c in text.Length > ShownLength ? text.Substring(0, ShownLength) : text)
            {
                shown.Append(char.IsControl(c) ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString());
            }

            return text.Length > ShownLength ? $"{shown}... ({text.Length} characters)" : shown.ToString();
        }

        private static bool IsDigits(string label) => label.Length > 0 && label.All(c => c >= '0' && c <= '9');

        /// <summary>
        /// A name made only of numbers is never looked up as a name: the resolver reads it as an IPv4
        /// address (127.1 is 127.0.0.1). One it cannot read that way would go to DNS as a name, so it
        /// is refused here, saying what is wrong with it as an address.
        /// </summary>
        private static string? NumericProblem(string host, string[] labels)
        {
            if (IPAddress.TryParse(host, out _))
            {
                return null; // a shorthand such as 127.1: the resolver reads it as that address, without DNS
            }

            string written = string.Join(".", labels);
            if (written.Length != host.Length && IPAddress.TryParse(written, out _))
            {
                return $"'{host}' is an IPv4 address with a dot after it; write it as {written}, without the dot.";
            }

            const string Rule = "an IPv4 address is four numbers from 0 to 255 separated by dots";
            string? tooBig = labels.FirstOrDefault(l => l.TrimStart('0').Length > 3 || int.Parse(l, CultureInfo.InvariantCulture) > 255);
            if (labels.Length == 4 && tooBig != null)
            {
                return $"'{host}' is not a valid IPv4 address: {tooBig} is above 255 ({Rule}).";
            }

            string? octal = labels.FirstOrDefault(l => l.Length > 1 && l[0] == '0');
            if (labels.Length == 4 && octal != null)
            {
                return $"'{host}' is not a valid IPv4 address: a number with a leading 0 is read as octal, and {octal} is not an octal number ({Rule}).";
            }

            return $"'{host}' is made of numbers only, so it is not a host name, and it is not an IPv4 address either ({Rule}).";
        }
    }
}
