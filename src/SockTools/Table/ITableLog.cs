namespace SockTools.Table
{
    /// <summary>Where the reader explains itself: the cmdlet turns these into -Verbose lines and warnings.</summary>
    internal interface ITableLog
    {
        void Verbose(string message);

        void Warning(string message);
    }
}
