using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace SockTools.Table
{
    /// <summary>
    /// Close-SockConnection's closers, one per network namespace its sockets were read in. The kernel destroys only
    /// sockets of the namespace its netlink socket belongs to, so a socket read in another namespace is closed
    /// through a closer opened inside that namespace, on a <see cref="NamespaceThread"/> (the netlink socket keeps
    /// the namespace it was made in; the requests that follow go out from the pipeline thread). Each namespace is
    /// opened again by the label the socket carries and must still be the one it was read in (same inode).
    /// </summary>
    internal sealed class NamespaceClosers : IDisposable
    {
        private readonly NamespaceThread _thread = new NamespaceThread();
        private readonly Dictionary<ulong, Place> _places = new Dictionary<ulong, Place>();
        private ISocketCloser? _here;

        /// <summary>The closer for sockets of <paramref name="where"/> (null: PowerShell's own namespace).</summary>
        /// <exception cref="SocketTableException">The closer could not be opened, or the namespace is gone or another one now.</exception>
        internal ISocketCloser CloserFor(NamespaceTag? where)
            => where is null ? _here ??= SocketPlatform.Current.OpenCloser() : PlaceOf(where).Closer;

        /// <summary>Where to read the table again to look at a socket of <paramref name="where"/>; null for PowerShell's own.</summary>
        /// <exception cref="SocketTableException">As <see cref="CloserFor"/>.</exception>
        internal NamespaceScope? ScopeFor(NamespaceTag? where) => where is null ? null : PlaceOf(where).Scope;

        public void Dispose()
        {
            _here?.Dispose();
            foreach (Place place in _places.Values)
            {
                place.Closer.Dispose();
                place.Namespace.Dispose();
            }

            _places.Clear();
            _thread.Dispose();
        }

        private Place PlaceOf(NamespaceTag where)
        {
            if (_places.TryGetValue(where.Inode, out Place? known))
            {
                return known;
            }

            SocketPlatform platform = SocketPlatform.Current;
            INetworkNamespaces source = platform.Namespaces ?? throw SocketPlatform.NamespacesNotSupported();
            NetworkNamespace opened = source.Open(where.Label, null, _thread);
            try
            {
                if (opened.Tag.Inode != where.Inode)
                {
                    throw new SocketTableException(
                        "NetworkNamespaceChanged",
                        ErrorCategory.ObjectNotFound,
                        $"Network namespace {where.Label} is not the one the socket was read in any more (net:[{where.Inode}] then, net:[{opened.Tag.Inode}] now): its sockets are gone with it.",
                        "Read the sockets again (Get-SockConnection -NetworkNamespace <name>) and pipe those.",
                        null,
                        where.Label);
                }

                ISocketCloser closer = _thread.Run(opened, () => platform.OpenCloser());
                var place = new Place(opened, closer, NamespaceScope.Borrow(opened, _thread));
                _places.Add(where.Inode, place);
                return place;
            }
            catch
            {
                opened.Dispose();
                throw;
            }
        }

        private sealed class Place
        {
            internal Place(NetworkNamespace where, ISocketCloser closer, NamespaceScope scope)
            {
                Namespace = where;
                Closer = closer;
                Scope = scope;
            }

            internal NetworkNamespace Namespace { get; }

            internal ISocketCloser Closer { get; }

            internal NamespaceScope Scope { get; }
        }
    }
}
