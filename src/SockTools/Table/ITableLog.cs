namespace SockTools.Table
{
    /// <summary>Where the reader explains itself: the cmdlet turns these into -Verbose lines, warnings and errors.</summary>
    internal interface ITableLog
    {
        void Verbose(string message);

        /// <summary>A warning; <paramref name="id"/> names its kind so a poll loop can say it once.</summary>
        void Warning(string id, string message);

        /// <summary>
        /// One part of a read failed and the rest goes on (one network namespace of -AllNetworkNamespaces): a
        /// non-terminating error. A failure that ends the read is thrown instead.
        /// </summary>
        void Failed(SocketTableException error);
    }
}
