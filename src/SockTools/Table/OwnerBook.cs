namespace SockTools.Table
{
    /// <summary>
    /// Where the entries of one read find their complete owner lists. An entry is written as soon as its
    /// lowest-pid owner is certain, which can be before every process has been read; the full list is
    /// asked for only when someone reads <see cref="SocketEntry.Owners"/>, and the book finishes the
    /// reading first if it has to.
    /// </summary>
    internal abstract class OwnerBook
    {
        /// <summary>Every owner of the socket in <paramref name="slot"/>, lowest pid first; waits for the read to finish.</summary>
        internal abstract SocketOwnerList OwnersOf(int slot);
    }
}
