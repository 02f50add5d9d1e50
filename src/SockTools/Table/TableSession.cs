namespace SockTools.Table
{
    /// <summary>
    /// What a run of reads shares: where the reader explains itself (-Verbose, warnings said once per command).
    /// The query says what to read; the session says where to tell about it.
    /// </summary>
    internal sealed class TableSession
    {
        internal TableSession(ITableLog log) => Log = log;

        internal ITableLog Log { get; }
    }
}
