namespace SockTools.Table
{
    /// <summary>How the OS answered a request to close one socket, in words every OS closer can give.</summary>
    internal enum SocketCloseResult
    {
        /// <summary>Destroyed: the owner's next call on it fails with "connection aborted".</summary>
        Closed,

        /// <summary>
        /// The OS found no socket with those addresses and that identity: it closed by itself (and another may have
        /// taken its addresses since, which is left alone). Not an error. The OS cannot always tell this from a
        /// socket that shares its addresses with others (SO_REUSEPORT) when it picks another of them.
        /// </summary>
        Gone,

        /// <summary>This process may not close other processes' sockets (the same for every socket).</summary>
        Denied,

        /// <summary>This OS cannot close sockets from outside at all (the same for every socket).</summary>
        Unsupported,

        /// <summary>This socket cannot be closed from outside, because of the state it is in.</summary>
        StateUnsupported,

        /// <summary>Any other refusal; <see cref="SocketCloseOutcome.Detail"/> names it.</summary>
        Failed,
    }

    /// <summary>The answer for one socket, with the OS's words for it.</summary>
    internal sealed class SocketCloseOutcome
    {
        internal static readonly SocketCloseOutcome Closed = new SocketCloseOutcome(SocketCloseResult.Closed, "closed", null);

        internal SocketCloseOutcome(SocketCloseResult result, string detail, string? advice)
        {
            Result = result;
            Detail = detail;
            Advice = advice;
        }

        internal SocketCloseResult Result { get; }

        /// <summary>What happened to this socket, in a few words ("EPERM (operation not permitted)").</summary>
        internal string Detail { get; }

        /// <summary>
        /// Why, and what to do, for results that hold for every socket (<see cref="SocketCloseResult.Denied"/>,
        /// <see cref="SocketCloseResult.Unsupported"/>): a cmdlet says it once, not once per socket. Null otherwise.
        /// </summary>
        internal string? Advice { get; }
    }
}
