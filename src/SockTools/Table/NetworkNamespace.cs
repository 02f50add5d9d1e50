using System;

namespace SockTools.Table
{
    /// <summary>
    /// One network namespace, opened: what the rest of SockTools needs of it, whatever the OS (only Linux has them;
    /// see <see cref="INetworkNamespaces"/>). Reading a table or making a socket inside it happens on a thread of
    /// SockTools' own (<see cref="NamespaceThread"/>), never on the pipeline thread or a pool thread; the namespace
    /// PowerShell runs in needs no entering at all (<see cref="IsOwn"/>). Disposing lets go of the namespace.
    /// </summary>
    internal abstract class NetworkNamespace : IDisposable
    {
        protected NetworkNamespace(NamespaceTag tag, bool isOwn)
        {
            Tag = tag;
            IsOwn = isOwn;
        }

        /// <summary>Its label and inode, as rows and entries carry them.</summary>
        internal NamespaceTag Tag { get; private protected set; }

        internal string Label => Tag.Label;

        /// <summary>The namespace PowerShell itself runs in: read and connect from the calling thread, no entering.</summary>
        internal bool IsOwn { get; private protected set; }

        /// <summary>
        /// Why a host name may resolve differently inside than here (the namespace has resolver files of its own that
        /// this process does not read), naming those files; null when nothing suggests so.
        /// </summary>
        internal virtual string? OwnResolverFiles => null;

        /// <summary>
        /// Moves the calling thread into this namespace. Only for threads SockTools started and ends itself
        /// (<see cref="NamespaceThread"/>, the connect workers): a thread keeps the namespace it entered.
        /// </summary>
        /// <exception cref="Exception">The OS refused (a reader failure: see <see cref="SocketTableException.IsReaderFailure"/>).</exception>
        internal abstract void EnterThisThread();

        public abstract void Dispose();

        public override string ToString() => Label;
    }
}
