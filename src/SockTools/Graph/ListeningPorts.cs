using System.Collections.Generic;

namespace SockTools.Graph
{
    /// <summary>
    /// Ports something listens on, per computer and protocol: what tells the server end of a connection from the
    /// client end. A listener on the wildcard address (0.0.0.0, ::) serves every local address.
    /// </summary>
    internal sealed class ListeningPorts
    {
        private readonly HashSet<(string Host, SocketProtocol Protocol, int Port)> _wildcard = new HashSet<(string, SocketProtocol, int)>();
        private readonly HashSet<(string Host, SocketProtocol Protocol, int Port, AddressValue Address)> _bound = new HashSet<(string, SocketProtocol, int, AddressValue)>();

        internal void Add(string? host, SocketProtocol protocol, AddressValue address, int port)
        {
            if (address.IsAny)
            {
                _wildcard.Add((host ?? string.Empty, protocol, port));
            }
            else
            {
                _bound.Add((host ?? string.Empty, protocol, port, address.Unmapped));
            }
        }

        /// <summary>Whether a listener of that computer and protocol takes connections at that local address and port.</summary>
        internal bool Serves(string? host, SocketProtocol protocol, AddressValue address, int port)
            => _wildcard.Contains((host ?? string.Empty, protocol, port)) || _bound.Contains((host ?? string.Empty, protocol, port, address.Unmapped));
    }
}
