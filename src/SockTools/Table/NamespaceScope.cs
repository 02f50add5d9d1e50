using System;
using System.Collections.Generic;

namespace SockTools.Table
{
    /// <summary>
    /// The network namespaces a run of reads looks at, when the user named any: one (-NetworkNamespace) or every one
    /// (-AllNetworkNamespaces, found anew at each read, because containers come and go while a watch runs). Holds
    /// them open, and the <see cref="NamespaceThread"/> that enters them, until disposed. Without a scope a read
    /// looks at the namespace PowerShell runs in and labels nothing.
    /// </summary>
    internal sealed class NamespaceScope : IDisposable
    {
        private readonly INetworkNamespaces? _everyOne;
        private readonly bool _borrowed;
        private List<NetworkNamespace> _current;

        private NamespaceScope(NamespaceThread thread, List<NetworkNamespace> current, INetworkNamespaces? everyOne, bool borrowed = false)
        {
            Thread = thread;
            _current = current;
            _everyOne = everyOne;
            _borrowed = borrowed;
        }

        /// <summary>The thread that does the work inside the namespaces.</summary>
        internal NamespaceThread Thread { get; }

        /// <summary>True for -AllNetworkNamespaces: a namespace that cannot be read is an error of its own, and the others go on.</summary>
        internal bool IsEveryNamespace => _everyOne is not null;

        /// <summary>The namespaces the last read looked at.</summary>
        internal IReadOnlyList<NetworkNamespace> LastRead => _current;

        /// <summary>Opens the one namespace the user named (see <see cref="INetworkNamespaces.Open"/>).</summary>
        /// <exception cref="SocketTableException">No such namespace, not one, not permitted, or not Linux.</exception>
        internal static NamespaceScope One(string given, string? path)
        {
            INetworkNamespaces source = Source();
            var thread = new NamespaceThread();
            try
            {
                return new NamespaceScope(thread, new List<NetworkNamespace> { source.Open(given, path, thread) }, null);
            }
            catch
            {
                thread.Dispose();
                throw;
            }
        }

        /// <summary>
        /// A scope over a namespace someone else opened and will close, with the thread that enters it (Test-SockPort
        /// reads the table where it connected from): disposing it closes neither.
        /// </summary>
        internal static NamespaceScope Borrow(NetworkNamespace where, NamespaceThread thread)
            => new NamespaceScope(thread, new List<NetworkNamespace> { where }, null, borrowed: true);

        /// <summary>Every namespace, found at the first read and again at each one after.</summary>
        /// <exception cref="SocketTableException">Not Linux.</exception>
        internal static NamespaceScope Every() => new NamespaceScope(new NamespaceThread(), new List<NetworkNamespace>(), Source());

        /// <summary>
        /// Runs <paramref name="work"/> inside the one namespace of a scope of one (files such as /proc/thread-self/net
        /// and /proc/sys/net then show that namespace's values); for PowerShell's own, on the calling thread.
        /// </summary>
        /// <exception cref="InvalidOperationException">The scope is -AllNetworkNamespaces.</exception>
        internal T Inside<T>(Func<T> work)
            => _everyOne is null && _current.Count == 1 ? Thread.Run(_current[0], work) : throw new InvalidOperationException("Only a scope of one namespace runs work inside it.");

        /// <summary>The label of the one namespace of a scope of one.</summary>
        internal string Label => _current.Count == 1 ? _current[0].Label : "every network namespace";

        /// <summary>The namespaces to read now: for every namespace, those there are at this moment.</summary>
        /// <exception cref="SocketTableException">They could not be found (not permitted, /proc unreadable).</exception>
        internal IReadOnlyList<NetworkNamespace> ForRead(ITableLog log)
        {
            if (_everyOne is null)
            {
                return _current;
            }

            List<NetworkNamespace> found = _everyOne.OpenAll(Thread, log);
            Close(_current);
            _current = found;
            return found;
        }

        public void Dispose()
        {
            if (_borrowed)
            {
                return;
            }

            Close(_current);
            Thread.Dispose();
        }

        private static void Close(List<NetworkNamespace> namespaces) => namespaces.ForEach(n => n.Dispose());

        private static INetworkNamespaces Source()
            => SocketPlatform.Current.Namespaces ?? throw SocketPlatform.NamespacesNotSupported();
    }
}
