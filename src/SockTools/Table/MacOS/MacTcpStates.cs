namespace SockTools.Table.MacOS
{
    /// <summary>
    /// The TCPS_* numbers of xnu's bsd/netinet/tcp_fsm.h (t_state of struct xtcpcb_n) and the
    /// <see cref="SocketState"/> each one is. Only the macOS reader knows these numbers.
    /// </summary>
    internal static class MacTcpStates
    {
        internal const int Closed = 0;
        internal const int Listen = 1;
        internal const int SynSent = 2;
        internal const int SynReceived = 3;
        internal const int Established = 4;
        internal const int CloseWait = 5;
        internal const int FinWait1 = 6;
        internal const int Closing = 7;
        internal const int LastAck = 8;
        internal const int FinWait2 = 9;
        internal const int TimeWait = 10;

        internal static bool IsKnown(int state) => state >= Closed && state <= TimeWait;

        /// <summary>TCPS_CLOSED in a live list is a socket neither listening nor connected: Bound, as for Linux's TCP_CLOSE.</summary>
        internal static SocketState ToSocketState(int state) => state switch
        {
            Listen => SocketState.Listen,
            SynSent => SocketState.SynSent,
            SynReceived => SocketState.SynReceived,
            Established => SocketState.Established,
            CloseWait => SocketState.CloseWait,
            FinWait1 => SocketState.FinWait1,
            Closing => SocketState.Closing,
            LastAck => SocketState.LastAck,
            FinWait2 => SocketState.FinWait2,
            TimeWait => SocketState.TimeWait,
            _ => SocketState.Bound, // Closed (callers check IsKnown first)
        };
    }
}
