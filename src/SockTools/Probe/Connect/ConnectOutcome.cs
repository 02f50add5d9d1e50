using System.Net;
using System.Net.Sockets;

namespace SockTools.Probe
{
    /// <summary>How one connect attempt to one address ended.</summary>
    internal sealed class ConnectOutcome
    {
        private ConnectOutcome(IPAddress address, SocketError error, double? latency, IPEndPoint? local, bool abandoned, bool selfConnected)
        {
            Address = address;
            Error = error;
            Latency = latency;
            Local = local;
            Abandoned = abandoned;
            SelfConnected = selfConnected;
        }

        internal IPAddress Address { get; }

        /// <summary>The socket's answer; Success when the handshake completed.</summary>
        internal SocketError Error { get; }

        /// <summary>Milliseconds until the answer; null when there was none.</summary>
        internal double? Latency { get; }

        /// <summary>The local end of the connection; only when it succeeded.</summary>
        internal IPEndPoint? Local { get; }

        /// <summary>Stopped before any answer: the deadline passed, another address won, or the user cancelled.</summary>
        internal bool Abandoned { get; }

        /// <summary>
        /// The OS picked the target port as the local port and TCP connected the socket to itself
        /// (simultaneous open): it looks like success, but nothing listens there.
        /// </summary>
        internal bool SelfConnected { get; }

        internal bool Succeeded => Error == SocketError.Success && !Abandoned && !SelfConnected;

        internal static ConnectOutcome Connected(IPAddress address, double latency, IPEndPoint? local)
            => new ConnectOutcome(address, SocketError.Success, latency, local, false, false);

        internal static ConnectOutcome ConnectedToItself(IPAddress address, double latency)
            => new ConnectOutcome(address, SocketError.Success, latency, null, false, true);

        internal static ConnectOutcome Failed(IPAddress address, SocketError error, double? latency)
            => new ConnectOutcome(address, error, latency, null, false, false);

        internal static ConnectOutcome Stopped(IPAddress address)
            => new ConnectOutcome(address, SocketError.OperationAborted, null, null, true, false);
    }
}
