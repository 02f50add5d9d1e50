namespace SockTools.Table
{
    /// <summary>
    /// What a run of reads shares: where the reader explains itself (-Verbose, warnings said once per command), and
    /// the network namespaces it reads in (null: the one PowerShell runs in). The query says what to read; the
    /// session says where to read it and where to tell about it.
    /// </summary>
    internal sealed class TableSession
    {
        internal TableSession(ITableLog log, NamespaceScope? namespaces = null)
        {
            Log = log;
            Namespaces = namespaces;
        }

        internal ITableLog Log { get; }

        /// <summary>The namespaces the user named (-NetworkNamespace, -AllNetworkNamespaces); null when none. The caller disposes it.</summary>
        internal NamespaceScope? Namespaces { get; }
    }
}
