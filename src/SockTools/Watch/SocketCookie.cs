using System;

namespace SockTools.Watch
{
    /// <summary>
    /// A socket cookie with the network namespace it was read in. Kernels before 5.12 count cookies per network
    /// namespace, so a watch of several namespaces can see one cookie in two of them: the namespace (its inode, 0 for
    /// PowerShell's own) makes the cookie unique again. A plain struct, so keeping one costs no allocation.
    /// </summary>
    internal readonly struct SocketCookie : IEquatable<SocketCookie>
    {
        private readonly ulong _namespace;
        private readonly ulong _cookie;

        private SocketCookie(ulong @namespace, ulong cookie)
        {
            _namespace = @namespace;
            _cookie = cookie;
        }

        /// <summary>The entry's cookie in its namespace; null when the reader saw no cookie.</summary>
        internal static SocketCookie? Of(SocketEntry? entry)
            => entry?.Cookie is ulong cookie ? new SocketCookie(entry.Namespace?.Inode ?? 0, cookie) : null;

        public bool Equals(SocketCookie other) => _cookie == other._cookie && _namespace == other._namespace;

        public override bool Equals(object? obj) => obj is SocketCookie other && Equals(other);

        public override int GetHashCode() => unchecked((_cookie.GetHashCode() * 31) + _namespace.GetHashCode());

        public override string ToString() => _namespace == 0 ? $"cookie {_cookie}" : $"cookie {_cookie} in net:[{_namespace}]";
    }
}
