using SockTools.Query;

namespace SockTools.Table.Windows
{
    /// <summary>
    /// The MIB_TCP_STATE numbers of tcpmib.h and the <see cref="SocketState"/> each one is. Only the Windows
    /// reader knows these numbers.
    /// </summary>
    internal static class MibTcpStates
    {
        internal const uint Closed = 1;
        internal const uint Listen = 2;
        internal const uint SynSent = 3;
        internal const uint SynReceived = 4;
        internal const uint Established = 5;
        internal const uint FinWait1 = 6;
        internal const uint FinWait2 = 7;
        internal const uint CloseWait = 8;
        internal const uint Closing = 9;
        internal const uint LastAck = 10;
        internal const uint TimeWait = 11;

        /// <summary>The TCB is being deleted: RFC 793's last step, into CLOSED.</summary>
        internal const uint DeleteTcb = 12;

        /// <summary>True for a number MIB_TCP_STATE defines.</summary>
        internal static bool IsKnown(uint state) => state >= Closed && state <= DeleteTcb;

        /// <summary>
        /// CLOSED in a live table is a socket that is neither listening nor connected (bound, or reset and not yet
        /// closed by its program): <see cref="SocketState.Bound"/>, as Get-NetTCPConnection and Linux's TCP_CLOSE
        /// say. DELETE_TCB is the same socket one step later, its connection state being thrown away: also Bound,
        /// the honest name for "still there, no longer connected", and not TimeWait or Closing, which promise a
        /// FIN exchange that DELETE_TCB does not imply.
        /// </summary>
        internal static SocketState ToSocketState(uint state) => state switch
        {
            Listen => SocketState.Listen,
            SynSent => SocketState.SynSent,
            SynReceived => SocketState.SynReceived,
            Established => SocketState.Established,
            FinWait1 => SocketState.FinWait1,
            FinWait2 => SocketState.FinWait2,
            CloseWait => SocketState.CloseWait,
            Closing => SocketState.Closing,
            LastAck => SocketState.LastAck,
            TimeWait => SocketState.TimeWait,
            _ => SocketState.Bound, // Closed, DeleteTcb (callers check IsKnown first)
        };

        /// <summary>True when the query wants TCP listeners only, which the LISTENER table class lists alone.</summary>
        internal static bool ListenersOnly(SocketQuery query)
        {
            if (query.States is null)
            {
                return false;
            }

            foreach (SocketState state in query.States)
            {
                // Unconnected is a UDP state (Get-SockListener asks for it beside Listen).
                if (state != SocketState.Listen && state != SocketState.Unconnected)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
