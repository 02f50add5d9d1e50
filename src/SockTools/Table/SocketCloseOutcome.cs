namespace SockTools.Table
{
    /// <summary>How the OS answered a request to close one socket, in words every OS closer can give.</summary>
    internal enum SocketCloseResult
    {
        /// <summary>Destroyed: the owner's next call on it fails with "connection aborted".</summary>
        Closed,

        /// <summary>No socket has those addresses any more: it closed by itself. Not an error.</summary>
        Gone,

        /// <summary>
        /// Another socket answers at those addresses: the one listed closed and its addresses were taken again, or
        /// several sockets share them (SO_REUSEPORT) and the OS picked another. Nothing was closed.
        /// </summary>
        AddressTaken,

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
