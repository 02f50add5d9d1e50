using System.Net;

namespace SockTools.Probe
{
    /// <summary>One host and one port to test: the unit Test-SockPort schedules, waits on and reports.</summary>
    internal sealed class ProbeTarget
    {
        internal ProbeTarget(string computerName, IPAddress? literal, int port)
        {
            ComputerName = computerName;
            Literal = literal;
            Port = port;
        }

        /// <summary>The host name or IP text as results show it.</summary>
        internal string ComputerName { get; }

        /// <summary>The address when ComputerName is an IP literal; null when it must be resolved.</summary>
        internal IPAddress? Literal { get; }

        internal int Port { get; }

        /// <summary>host:port, IPv6 in brackets: how messages and progress name the target.</summary>
        internal string Endpoint => SocketEntry.FormatEndpoint(ComputerName, Port, false);

        public override string ToString() => Endpoint;
    }
}
