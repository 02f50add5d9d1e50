using System.Net;

namespace SockTools.Probe
{
    /// <summary>
    /// What to test for a socket piped in from Get-SockListener or Get-SockConnection: a listener's
    /// own address and port, a connection's peer. UDP has no connect handshake to test, a UNIX socket no TCP port.
    /// </summary>
    internal static class SocketEntryTarget
    {
        /// <summary>The target for the entry, tested from <paramref name="origin"/>, or null (with the reason) when there is nothing to connect to.</summary>
        internal static ProbeTarget? From(SocketEntry entry, out string? skipReason, ConnectOrigin? origin = null)
        {
            skipReason = null;
            if (entry.Protocol != SocketProtocol.Tcp)
            {
                skipReason = entry.Protocol == SocketProtocol.Udp ? "UDP sockets have no connection to test" : "UNIX sockets have no TCP port to test";
                return null;
            }

            bool listener = entry.State == SocketState.Listen;
            string? addressText = listener ? entry.LocalAddress : entry.RemoteAddress;
            int port = (listener ? entry.LocalPort : entry.RemotePort) ?? 0;
            if (port == 0 || !IPAddress.TryParse(addressText, out IPAddress? address))
            {
                skipReason = "the socket has no peer to connect to";
                return null;
            }

            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }

            // A wildcard listener (0.0.0.0, ::) accepts on every interface; loopback is the one always there.
            if (address.Equals(IPAddress.Any))
            {
                address = IPAddress.Loopback;
            }
            else if (address.Equals(IPAddress.IPv6Any))
            {
                address = IPAddress.IPv6Loopback;
            }

            return new ProbeTarget(address.ToString(), address, port, origin);
        }
    }
}
