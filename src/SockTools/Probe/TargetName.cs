using System.Net;

namespace SockTools.Probe
{
    /// <summary>One -ComputerName value taken apart: the host to resolve (or an IP literal) and an optional inline port.</summary>
    internal sealed class TargetName
    {
        internal TargetName(string host, IPAddress? literal, int? port)
        {
            Host = host;
            Literal = literal;
            Port = port;
        }

        /// <summary>Host name or canonical IP text, without brackets or port: what results show as ComputerName.</summary>
        internal string Host { get; }

        /// <summary>The address when the name is an IP literal: no name resolution needed.</summary>
        internal IPAddress? Literal { get; }

        /// <summary>The port written into the name (db:5432, [::1]:80); null when none.</summary>
        internal int? Port { get; }
    }
}
