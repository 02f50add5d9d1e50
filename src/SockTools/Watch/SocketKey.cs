using System;
using SockTools.Table;

namespace SockTools.Watch
{
    /// <summary>
    /// A socket's identity across looks at the table: protocol and 4-tuple, which survive state
    /// changes (Established -> TimeWait keeps them while inode and owner go). Sockets without a peer
    /// (listeners, unconnected UDP) can share a 4-tuple through SO_REUSEPORT, so their identity joins the key:
    /// the inode on Linux, the socket handle on macOS, the owning process on Windows (which has neither).
    /// A watch of several network namespaces sees the same 4-tuple in each (127.0.0.1:80 in two containers), so the
    /// namespace joins the key too.
    /// A UNIX socket has no 4-tuple, and many share a name or have none: its inode alone is its key, and it
    /// keeps that inode in every state.
    /// </summary>
    internal readonly struct SocketKey : IEquatable<SocketKey>
    {
        private readonly SocketProtocol _protocol;
        private readonly AddressValue _local;
        private readonly AddressValue _remote;
        private readonly int _localPort;
        private readonly int _remotePort;
        private readonly long _identity;
        private readonly ulong _namespace;

        internal SocketKey(SocketEntry entry)
        {
            _protocol = entry.Protocol;
            _local = entry.LocalValue;
            _remote = entry.RemoteValue;
            _localPort = entry.LocalPort ?? 0;
            _remotePort = entry.RemotePort ?? 0;
            bool hasPeer = entry.Protocol != SocketProtocol.Unix && (_remotePort != 0 || !entry.RemoteValue.IsAny);
            _identity = hasPeer ? 0 : entry.Identity;
            _namespace = entry.Namespace?.Inode ?? 0;
        }

        internal SocketKey(in SocketRecord row)
        {
            _protocol = row.Protocol;
            _local = row.LocalAddress;
            _remote = row.RemoteAddress;
            _localPort = row.LocalPort;
            _remotePort = row.RemotePort;
            bool hasPeer = row.Protocol != SocketProtocol.Unix && (row.RemotePort != 0 || !row.RemoteAddress.IsAny);
            _identity = hasPeer ? 0 : row.Identity;
            _namespace = row.Namespace?.Inode ?? 0;
        }

        public bool Equals(SocketKey other)
            => _protocol == other._protocol && _localPort == other._localPort && _remotePort == other._remotePort
               && _identity == other._identity && _namespace == other._namespace && _local.Equals(other._local) && _remote.Equals(other._remote);

        public override bool Equals(object? obj) => obj is SocketKey other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                int hash = (_localPort * 65537) ^ _remotePort ^ ((int)_protocol << 30);
                hash = (hash * 31) + _local.GetHashCode();
                hash = (hash * 31) + _remote.GetHashCode();
                hash = (hash * 31) + _namespace.GetHashCode();
                return (hash * 31) + _identity.GetHashCode();
            }
        }
    }
}
