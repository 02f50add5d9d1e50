namespace SockTools
{
    /// <summary>What happened to a socket between two looks at the table.</summary>
    public enum ChangeType
    {
        /// <summary>The socket appeared (or existed when the watch started, with -IncludeExisting).</summary>
        Opened,
        /// <summary>The same socket (same protocol and 4-tuple) moved to another state.</summary>
        StateChanged,
        /// <summary>The socket is gone from the table.</summary>
        Closed,
    }
}
