using System;
using System.Collections.Generic;
using SockTools.Table;

namespace SockTools.Probe
{
    /// <summary>
    /// The network namespaces one Test-SockPort connects from: the one -NetworkNamespace names, and those of piped
    /// sockets read in other namespaces. Each is opened once, by its label; one <see cref="NamespaceThread"/> makes
    /// the sockets of them all. Disposed when the command ends, after every connect.
    /// </summary>
    internal sealed class ConnectOrigins : IDisposable
    {
        private readonly NamespaceThread _thread = new NamespaceThread();
        private readonly Dictionary<string, ConnectOrigin> _byLabel = new Dictionary<string, ConnectOrigin>(StringComparer.Ordinal);
        private readonly List<NetworkNamespace> _opened = new List<NetworkNamespace>();

        /// <summary>The origin for -NetworkNamespace <paramref name="given"/> (<paramref name="path"/>: resolved by PowerShell, null for a name).</summary>
        /// <exception cref="SocketTableException">No such namespace, not one, not permitted, or not Linux.</exception>
        internal ConnectOrigin Open(string given, string? path)
        {
            if (_byLabel.TryGetValue(given, out ConnectOrigin? known))
            {
                return known;
            }

            INetworkNamespaces source = SocketPlatform.Current.Namespaces ?? throw SocketPlatform.NamespacesNotSupported();
            NetworkNamespace opened = source.Open(given, path, _thread);
            _opened.Add(opened);
            var origin = new ConnectOrigin(opened, _thread);
            _byLabel[given] = origin;
            _byLabel[opened.Label] = origin;
            return origin;
        }

        public void Dispose()
        {
            _thread.Dispose();
            _opened.ForEach(n => n.Dispose());
        }
    }
}
