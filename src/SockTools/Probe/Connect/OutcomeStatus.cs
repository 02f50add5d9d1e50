using System;
using System.Net.Sockets;

namespace SockTools.Probe
{
    /// <summary>Turns a connect outcome into the status and message a user reads.</summary>
    internal static class OutcomeStatus
    {
        internal static PortStatus Of(ConnectOutcome outcome)
        {
            if (outcome.Abandoned)
            {
                return PortStatus.TimedOut;
            }

            if (outcome.SelfConnected)
            {
                return PortStatus.Refused;
            }

            return outcome.Error switch
            {
                SocketError.Success => PortStatus.Open,
                SocketError.ConnectionRefused => PortStatus.Refused,

                // A reset before the handshake completed is the same answer as a refusal: the host is up and no
                // listener took the connection (one that closes at that moment resets what waited in its queue).
                SocketError.ConnectionReset => PortStatus.Refused,
                SocketError.TimedOut => PortStatus.TimedOut,
                SocketError.NetworkUnreachable => PortStatus.Unreachable,
                SocketError.HostUnreachable => PortStatus.Unreachable,
                SocketError.NetworkDown => PortStatus.Unreachable,
                SocketError.HostDown => PortStatus.Unreachable,

                // EADDRNOTAVAIL on connect(): the kernel found no local port (or no source address) for this destination.
                SocketError.AddressNotAvailable => PortStatus.NoFreeLocalPort,
                _ => PortStatus.Error,
            };
        }

        /// <summary>Why the attempt did not succeed, naming the endpoint; null for Open.</summary>
        internal static string? Message(ConnectOutcome outcome, int port, TimeSpan timeout)
        {
            string endpoint = SocketEntry.FormatEndpoint(outcome.Address.ToString(), port, false);
            if (outcome.SelfConnected)
            {
                return $"Nothing listens on {endpoint}: the OS picked that same port as the local port and the socket connected to itself.";
            }

            switch (Of(outcome))
            {
                case PortStatus.Open:
                    return null;
                case PortStatus.Refused when outcome.Error == SocketError.ConnectionReset:
                    return $"Connection reset by {endpoint} before it was accepted: the host is up, but the listener closed (or a firewall rejects).";
                case PortStatus.Refused:
                    return $"Connection refused by {endpoint}: the host is up, but nothing listens on the port (or a firewall rejects).";
                case PortStatus.TimedOut:
                    return $"No answer from {endpoint} within {NameResolver.Seconds(timeout)} s: a firewall may drop the packets, or the host is down.";
                case PortStatus.Unreachable:
                    return $"{endpoint} is unreachable: {SocketText(outcome.Error)}.";
                case PortStatus.NoFreeLocalPort:
                    return $"No free local port to connect to {endpoint} from (EADDRNOTAVAIL): every port of the ephemeral range is held by a socket to that address and port, many of them in TimeWait, or this system has no source address for it. See which destinations use up the range with Get-SockPortUsage -RemotePort {port}.";
                default:
                    return $"Connecting to {endpoint} failed with {outcome.Error}: {SocketText(outcome.Error)}.";
            }
        }

        private static string SocketText(SocketError error) => new SocketException((int)error).Message;
    }
}
