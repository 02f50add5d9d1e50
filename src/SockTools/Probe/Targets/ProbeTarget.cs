using System.Net;

namespace SockTools.Probe
{
    /// <summary>One host and one port to test: the unit Test-SockPort schedules, waits on and reports.</summary>
    internal sealed class ProbeTarget
    {
        internal ProbeTarget(string computerName, IPAddress? literal, int port, ConnectOrigin? origin = null)
        {
            ComputerName = computerName;
            Literal = literal;
            Port = port;
            Origin = origin;
        }

        /// <summary>The host name or IP text as results show it.</summary>
        internal string ComputerName { get; }

        /// <summary>The address when ComputerName is an IP literal; null when it must be resolved.</summary>
        internal IPAddress? Literal { get; }

        internal int Port { get; }

        /// <summary>The network namespace to connect from; null for PowerShell's own.</summary>
        internal ConnectOrigin? Origin { get; }

        /// <summary>host:port, IPv6 in brackets: how messages and progress name the target.</summary>
        internal string Endpoint => SocketEntry.FormatEndpoint(ComputerName, Port, false);

        /// <summary>" from network namespace blue" for messages; empty for PowerShell's own.</summary>
        internal string FromWhere => Origin is null ? string.Empty : $" from network namespace {Origin.Label}";

        public override string ToString() => Endpoint;
    }
}
