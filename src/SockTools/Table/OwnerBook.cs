namespace SockTools.Table
{
    /// <summary>
    /// Where the entries of one read find their complete owner lists. An entry is written as soon as its
    /// lowest-pid owner is certain, which can be before every process has been read; the full list is
    /// asked for only when someone reads <see cref="SocketEntry.Owners"/>, and the book finishes the
    /// reading first if it has to. The owner of a UNIX socket's peer is looked up in the same book, also
    /// only when asked for.
    /// </summary>
    internal abstract class OwnerBook
    {
        /// <summary>Every owner of the socket in <paramref name="slot"/>, lowest pid first; waits for the read to finish.</summary>
        internal abstract SocketOwnerList OwnersOf(int slot);

        /// <summary>The lowest pid holding the socket in <paramref name="slot"/>, 0 for none; waits until that is certain.</summary>
        internal abstract int CertainLowestOwnerOf(int slot);

        /// <summary>The name of a process of this read (read once per process).</summary>
        internal abstract string? NameOf(int pid);

        /// <summary>Where the command line, service and container of this read's owners are read; null where the OS tells none.</summary>
        internal virtual OwnerIdentity? Identity => null;
    }
}
