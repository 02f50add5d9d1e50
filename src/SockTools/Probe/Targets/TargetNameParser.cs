using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SockTools.Probe
{
    /// <summary>
    /// Reads the forms people type for a target: db01, db01:5432, 192.0.2.10, 192.0.2.10:22,
    /// ::1, [::1], [::1]:5432, fe80::1%eth0. A bare IPv6 address keeps all its colons, so a port
    /// after an IPv6 address needs brackets, exactly as in URLs. The host keeps the text the user
    /// gave (trimmed, without brackets or port), so results name it as it was typed.
    /// </summary>
    internal static class TargetNameParser
    {
        internal const int MinPort = 1;
        internal const int MaxPort = 65535;

        internal const string ValidForms = "Give a host name or IP address such as db01, 192.0.2.10, ::1 or [::1], optionally with a port: db01:5432, [::1]:5432";

        internal static bool TryParse(string? text, out TargetName? target, out string? problem)
        {
            target = null;
            string input = (text ?? string.Empty).Trim();
            if (input.Length == 0)
            {
                return Fail($"The computer name '{text}' is empty. {ValidForms}.", out problem);
            }

            // First, so that no later message prints a NUL or a line break, and "127.0.0.1\0x" is never cut short.
            string? control = HostNameRules.ControlCharacterProblem(input);
            if (control != null)
            {
                return Fail($"{control} {ValidForms}.", out problem);
            }

            // A whole object bound as a string ("@{Host=db; Port=5432}") means the CSV column had another name.
            if (input.StartsWith("@{", System.StringComparison.Ordinal))
            {
                return Fail($"'{input}' is a whole object, not a computer name: name the column ComputerName, HostName or TargetName (and Port). {ValidForms}.", out problem);
            }

            if (input.Contains("://"))
            {
                return Fail($"'{input}' is a URL, not a computer name: give only the host and port. {ValidForms}.", out problem);
            }

            if (input[0] == '[')
            {
                return TryParseBracketed(input, out target, out problem);
            }

            int firstColon = input.IndexOf(':');
            if (firstColon >= 0 && firstColon != input.LastIndexOf(':'))
            {
                // Two or more colons: an IPv6 address without brackets, so no port.
                if (TryParseAddress(input, out IPAddress? v6) && v6!.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    return TryMakeLiteral(input, v6, null, input, BareIPv6Port.Hint(input), out target, out problem);
                }

                return Fail($"'{input}' is not a valid IPv6 address; write a port after an IPv6 address in brackets: [::1]:5432. {ValidForms}.", out problem);
            }

            string host = input;
            int? port = null;
            if (firstColon >= 0)
            {
                host = input.Substring(0, firstColon);
                if (!TryParsePort(input.Substring(firstColon + 1), input, out port, out problem))
                {
                    return false;
                }
            }

            return TryMakeHost(host, input, port, out target, out problem);
        }

        /// <summary>The message for a port outside 1..65535, shared with the -Port validation.</summary>
        internal static string PortOutOfRange(string value)
            => $"{value} is not a valid port: a TCP port is {MinPort} to {MaxPort}.";

        private static bool TryParseBracketed(string input, out TargetName? target, out string? problem)
        {
            target = null;
            int close = input.IndexOf(']');
            if (close < 0)
            {
                return Fail($"'{input}' has no closing ']'. {ValidForms}.", out problem);
            }

            string inside = input.Substring(1, close - 1);
            if (!TryParseAddress(inside, out IPAddress? address) || address!.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return Fail($"'{input}': brackets hold an IPv6 address, and '{inside}' is not one. {ValidForms}.", out problem);
            }

            string rest = input.Substring(close + 1);
            int? port = null;
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return Fail($"'{input}' has '{rest}' after the ']'; only ':port' may follow. {ValidForms}.", out problem);
                }

                if (!TryParsePort(rest.Substring(1), input, out port, out problem))
                {
                    return false;
                }
            }

            return TryMakeLiteral(inside, address, port, input, null, out target, out problem);
        }

        private static bool TryMakeHost(string host, string input, int? port, out TargetName? target, out string? problem)
        {
            target = null;
            if (host.Length == 0)
            {
                return Fail($"'{input}' has a port but no host. {ValidForms}.", out problem);
            }

            // IPAddress.TryParse reads "10.1" or "1" as IPv4 shorthands; only a full dotted quad counts as a literal here.
            if (host.Split('.').Length == 4 && TryParseAddress(host, out IPAddress? v4))
            {
                return TryMakeLiteral(host, v4!, port, input, null, out target, out problem);
            }

            string? notAHost = HostNameRules.Problem(host, input);
            if (notAHost != null)
            {
                return Fail($"{notAHost} {ValidForms}.", out problem);
            }

            target = new TargetName(host, null, port);
            problem = null;
            return true;
        }

        private static bool TryParsePort(string text, string input, out int? port, out string? problem)
        {
            port = null;
            if (text.Length == 0 || text.Length > 5 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                return Fail($"'{input}' has no valid port after the ':'. {PortOutOfRange("'" + text + "'")}", out problem);
            }

            if (value < MinPort || value > MaxPort)
            {
                return Fail($"'{input}': {PortOutOfRange(value.ToString(CultureInfo.InvariantCulture))}", out problem);
            }

            port = value;
            problem = null;
            return true;
        }

        private static bool TryParseAddress(string text, out IPAddress? address)
        {
            bool parsed = IPAddress.TryParse(text, out address);
            return parsed;
        }

        private static bool TryMakeLiteral(string given, IPAddress address, int? port, string input, string? bracketHint, out TargetName? target, out string? problem)
        {
            target = null;
            string? zone = ZoneCheck.Problem(given, address, input);
            if (zone != null)
            {
                return Fail($"{zone} {ValidForms}.", out problem);
            }

            // ::ffff:a.b.c.d is an IPv4 peer seen through a dual-stack socket: test it as IPv4 (and still name it as given).
            IPAddress plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            target = new TargetName(given, plain, port, bracketHint);
            problem = null;
            return true;
        }

        private static bool Fail(string message, out string? problem)
        {
            problem = message;
            return false;
        }
    }
}
