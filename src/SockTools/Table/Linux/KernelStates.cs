using System;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Translates between the kernel's TCP state numbers (include/net/tcp_states.h), which both Linux
    /// readers see, and <see cref="SocketState"/>; and turns a query's states into the idiag_states mask
    /// the kernel filters a dump with (the numbers double as bit positions). Only the Linux readers know
    /// these numbers: rows leave the parsers as <see cref="SocketState"/> values.
    /// </summary>
    internal static class KernelStates
    {
        internal const byte Established = 1;
        internal const byte SynSent = 2;
        internal const byte SynReceived = 3;
        internal const byte FinWait1 = 4;
        internal const byte FinWait2 = 5;
        internal const byte TimeWait = 6;
        internal const byte Close = 7;
        internal const byte CloseWait = 8;
        internal const byte LastAck = 9;
        internal const byte Listen = 10;
        internal const byte Closing = 11;

        /// <summary>Request sockets (half-open connections a listener answered); shown as SynReceived.</summary>
        internal const byte NewSynReceived = 12;

        /// <summary>
        /// Kernel 6.7+: a mask bit (not a state a socket is in) that makes a dump also walk the bind table for
        /// sockets that are bound but neither listening nor connected. They come back as TCP_CLOSE (7). The walk
        /// costs about 40% more kernel time on a busy host, so only -State Bound (or All) asks for it, as
        /// ss asks for it only with "state bound-inactive".
        /// </summary>
        internal const byte BoundInactive = 13;

        /// <summary>Every state a TCP socket can be in (bits 1-12): the mask of a query without -State.</summary>
        internal const uint AllTcpStates = ((1u << (NewSynReceived + 1)) - 1) & ~1u;

        /// <summary>
        /// Every state bit, as ss asks for UNIX sockets: the kernel uses three of them today, and a socket in a state
        /// added later must still be listed (and then fail loudly in the parser) rather than vanish.
        /// </summary>
        internal const uint AllUnixStates = uint.MaxValue;

        internal static SocketState ToSocketState(SocketProtocol protocol, byte kernelState) => kernelState switch
        {
            Established => SocketState.Established,
            SynSent => SocketState.SynSent,
            SynReceived or NewSynReceived => SocketState.SynReceived,
            FinWait1 => SocketState.FinWait1,
            FinWait2 => SocketState.FinWait2,
            TimeWait => SocketState.TimeWait,
            Close => protocol == SocketProtocol.Tcp ? SocketState.Bound : SocketState.Unconnected, // UDP and UNIX: no fixed peer
            CloseWait => SocketState.CloseWait,
            LastAck => SocketState.LastAck,
            Listen => SocketState.Listen,
            Closing => SocketState.Closing,
            _ => throw new ArgumentOutOfRangeException(nameof(kernelState), kernelState, "Unknown kernel socket state."),
        };

        /// <summary>The kernel state bits that make up one state for one protocol (0 when it cannot occur).</summary>
        internal static uint MaskOf(SocketProtocol protocol, SocketState state)
        {
            if (protocol == SocketProtocol.Unix)
            {
                // The kernel keeps UNIX sockets in TCP_LISTEN, TCP_ESTABLISHED (connected) or TCP_CLOSE (neither).
                return state switch
                {
                    SocketState.Listen => Bit(Listen),
                    SocketState.Established => Bit(Established),
                    SocketState.Unconnected => Bit(Close),
                    _ => 0,
                };
            }

            if (protocol == SocketProtocol.Udp)
            {
                // The kernel keeps UDP sockets in TCP_CLOSE (unconnected) or TCP_ESTABLISHED (connect()ed).
                return state switch
                {
                    SocketState.Unconnected => Bit(Close),
                    SocketState.Established => Bit(Established),
                    _ => 0,
                };
            }

            return state switch
            {
                SocketState.Listen => Bit(Listen),
                SocketState.SynSent => Bit(SynSent),
                SocketState.SynReceived => Bit(SynReceived) | Bit(NewSynReceived),
                SocketState.Established => Bit(Established),
                SocketState.FinWait1 => Bit(FinWait1),
                SocketState.FinWait2 => Bit(FinWait2),
                SocketState.CloseWait => Bit(CloseWait),
                SocketState.Closing => Bit(Closing),
                SocketState.LastAck => Bit(LastAck),
                SocketState.TimeWait => Bit(TimeWait),
                SocketState.Bound => Bit(Close) | Bit(BoundInactive),
                _ => 0,
            };
        }

        internal static uint Bit(byte kernelState) => 1u << kernelState;

        /// <summary>
        /// The idiag_states (udiag_states) mask for one protocol of a query: 0 when no socket of the protocol can pass
        /// the query (not wanted, or filtered by words it does not have: ports for UNIX, paths for TCP); without a
        /// state filter every state (but not the bind-table walk for sockets that are only bound, which only
        /// an explicit Bound asks for); else the union of the states' bits.
        /// </summary>
        internal static uint MaskFor(SocketQuery query, SocketProtocol protocol)
        {
            if (!query.CanMatch(protocol))
            {
                return 0;
            }

            if (protocol == SocketProtocol.Unix && query.ListenersOnly)
            {
                // A named datagram socket others send to is Established since kernel 5.15 once one of them connect()ed.
                return Bit(Listen) | Bit(Close) | Bit(Established);
            }

            if (query.States is null)
            {
                return protocol switch
                {
                    SocketProtocol.Tcp => AllTcpStates,
                    SocketProtocol.Udp => Bit(Close) | Bit(Established),
                    _ => AllUnixStates,
                };
            }

            uint mask = 0;
            foreach (SocketState state in query.States)
            {
                mask |= MaskOf(protocol, state);
            }

            return mask;
        }

        /// <summary>The timer codes of idiag_timer and the /proc "tr" column: 0 none, 1 retransmit, 2 keep-alive, 3 TIME_WAIT, 4 zero-window probe.</summary>
        internal static SocketTimer ToSocketTimer(byte code) => code switch
        {
            1 => SocketTimer.Retransmit,
            2 => SocketTimer.KeepAlive,
            3 => SocketTimer.TimeWait,
            4 => SocketTimer.ZeroWindowProbe,
            _ => SocketTimer.None,
        };
    }
}
