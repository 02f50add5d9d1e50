namespace SockTools
{
    /// <summary>What happened to a socket between two looks at the table.</summary>
    public enum ChangeType : long // long: ConvertTo-Json writes the name (see SocketState)
    {
        /// <summary>The socket appeared (or existed when the watch started, with -IncludeExisting).</summary>
        Opened,
        /// <summary>The same socket (same protocol and 4-tuple) moved to another state (PreviousState -> State).</summary>
        Changed,
        /// <summary>The socket is gone from the table.</summary>
        Closed,
    }
}
