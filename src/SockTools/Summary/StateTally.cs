using System.Collections.Generic;
using SockTools.Query;
using SockTools.Table;

namespace SockTools.Summary
{
    /// <summary>
    /// Counts table rows per protocol, state and address family: the rows of Get-SockSummary. Pure (rows in,
    /// counts out) and one pass over rows the reader already made, with no owner lookup and no entry objects.
    /// </summary>
    internal static class StateTally
    {
        private const int StateCount = (int)SocketState.Unconnected + 1;

        /// <summary>The TCP states a summary without -State shows (Bound only when some socket is in it).</summary>
        private static readonly SocketState[] TcpStates =
        {
            SocketState.Listen, SocketState.SynSent, SocketState.SynReceived, SocketState.Established, SocketState.FinWait1,
            SocketState.FinWait2, SocketState.CloseWait, SocketState.Closing, SocketState.LastAck, SocketState.TimeWait,
            SocketState.Bound,
        };

        private static readonly SocketState[] UdpStates = { SocketState.Unconnected, SocketState.Established };

        /// <summary>
        /// One count per protocol the query includes and per state it covers that the protocol can be in, zeros
        /// included, in protocol and state order; Bound, which the kernel lists only when asked, only when asked
        /// for or when sockets in it were read.
        /// </summary>
        internal static List<SocketStateCount> Count(IReadOnlyList<SocketRecord> rows, SocketQuery query)
        {
            var counts = new int[2, StateCount, 2];
            for (int i = 0; i < rows.Count; i++)
            {
                SocketRecord row = rows[i];
                counts[(int)row.Protocol, (int)row.State, row.IsV6 ? 1 : 0]++;
            }

            var result = new List<SocketStateCount>();
            foreach (SocketProtocol protocol in new[] { SocketProtocol.Tcp, SocketProtocol.Udp })
            {
                if (!query.Includes(protocol))
                {
                    continue;
                }

                foreach (SocketState state in protocol == SocketProtocol.Tcp ? TcpStates : UdpStates)
                {
                    int p = (int)protocol;
                    int s = (int)state;
                    bool asked = query.States is null
                        ? state != SocketState.Bound || counts[p, s, 0] + counts[p, s, 1] > 0
                        : Contains(query.States, state);
                    if (asked)
                    {
                        result.Add(new SocketStateCount(protocol, state, counts[p, s, 0], counts[p, s, 1]));
                    }
                }
            }

            return result;
        }

        private static bool Contains(IReadOnlyCollection<SocketState> states, SocketState state)
        {
            foreach (SocketState item in states)
            {
                if (item == state)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
