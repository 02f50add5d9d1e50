namespace SockTools.Table
{
    /// <summary>
    /// What a run of reads shares: where the reader explains itself, and, for a watch, the owners found by
    /// earlier reads, so each later read looks up only sockets it has not seen. The query says what to read;
    /// the session holds what reading has learnt.
    /// </summary>
    internal sealed class TableSession
    {
        internal TableSession(ITableLog log, OwnerCache? owners = null)
        {
            Log = log;
            Owners = owners;
        }

        internal ITableLog Log { get; }

        /// <summary>Owners known from an earlier read of the same watch; null outside a watch.</summary>
        internal OwnerCache? Owners { get; }
    }
}
