namespace SockTools.Table
{
    /// <summary>Where the reader explains itself: the cmdlet turns these into -Verbose lines and warnings.</summary>
    internal interface ITableLog
    {
        void Verbose(string message);

        /// <summary>A warning; <paramref name="id"/> names its kind so a poll loop can say it once.</summary>
        void Warning(string id, string message);
    }
}
