using System.Net;

namespace SockTools.Probe
{
    /// <summary>One -ComputerName value taken apart: the host to resolve (or an IP literal) and an optional inline port.</summary>
    internal sealed class TargetName
    {
        internal TargetName(string host, IPAddress? literal, int? port, string? bracketHint = null)
        {
            Host = host;
            Literal = literal;
            Port = port;
            BracketHint = bracketHint;
        }

        /// <summary>Host name or IP text exactly as given, without brackets or port: what results show as ComputerName.</summary>
        internal string Host { get; }

        /// <summary>The address to connect to when the name is an IP literal (an IPv4-mapped one as IPv4): no name resolution needed.</summary>
        internal IPAddress? Literal { get; }

        /// <summary>The port written into the name (db:5432, [::1]:80); null when none.</summary>
        internal int? Port { get; }

        /// <summary>
        /// For a bare IPv6 address whose last group reads like a port (::1:443): the bracketed form
        /// the user probably meant ([::1]:443). Only used to explain a missing port.
        /// </summary>
        internal string? BracketHint { get; }
    }
}
