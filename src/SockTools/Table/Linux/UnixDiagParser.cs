using System.Collections.Generic;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Parses the unix_diag messages one recv() on a sock_diag socket returned into <see cref="SocketRecord"/> rows.
    /// Pure: bytes in, rows out, so it is tested on captured and hostile byte fixtures.
    /// </summary>
    internal static class UnixDiagParser
    {
        /// <summary>
        /// Parses every netlink message in <paramref name="buffer"/>[0..<paramref name="length"/>); rows that pass
        /// <paramref name="filter"/> (all when null) go to <paramref name="sink"/>. True once NLMSG_DONE ends the dump.
        /// </summary>
        /// <exception cref="SocketTableFormatException">The bytes are truncated or malformed.</exception>
        /// <exception cref="NetlinkErrorException">The kernel answered with an error.</exception>
        internal static bool Parse(byte[] buffer, int length, SocketQuery? filter, List<SocketRecord> sink)
            => NetlinkReply.Walk(buffer, length, (payload, payloadLength) =>
            {
                SocketRecord row = ParseMessage(buffer, payload, payloadLength);
                if (filter is null || filter.Matches(in row))
                {
                    sink.Add(row);
                }
            });

        private static SocketRecord ParseMessage(byte[] b, int o, int length)
        {
            if (length < UnixDiag.MessageLength)
            {
                throw new SocketTableFormatException($"Truncated unix_diag_msg: {length} bytes, need {UnixDiag.MessageLength}.");
            }

            if (b[o] != UnixDiag.AF_UNIX)
            {
                throw new SocketTableFormatException($"unix_diag_msg with address family {b[o]}; expected AF_UNIX.");
            }

            if (!UnixDiag.TryGetType(b[o + 1], out UnixSocketType type))
            {
                throw new SocketTableFormatException($"unix_diag_msg with socket type {b[o + 1]}; a UNIX socket is a stream, datagram or seqpacket socket.");
            }

            byte state = b[o + 2];
            if (state < KernelStates.Established || state > KernelStates.NewSynReceived)
            {
                throw new SocketTableFormatException($"unix_diag_msg with unknown state {state}.");
            }

            var row = new SocketRecord
            {
                Protocol = SocketProtocol.Unix,
                State = KernelStates.ToSocketState(SocketProtocol.Unix, state),
                Inode = Wire.U32(b, o + 4),
                Cookie = Wire.U32(b, o + 8) | ((ulong)Wire.U32(b, o + 12) << 32),

                // A UNIX socket has no timers or retransmissions; queues and uid are known once their attributes come.
                Unseen = UnseenFields.Timer | UnseenFields.Retransmits | UnseenFields.Queues | UnseenFields.UserId,
            };

            string? name = null;
            ulong peer = 0;
            var attributes = new NetlinkAttributes(b, o + UnixDiag.MessageLength, length - UnixDiag.MessageLength);
            while (attributes.Next(out ushort attribute, out int at, out int size))
            {
                switch (attribute)
                {
                    case UnixDiag.UNIX_DIAG_NAME:
                        name = UnixSocketName.Decode(b, at, size);
                        break;
                    case UnixDiag.UNIX_DIAG_PEER when size >= 4:
                        peer = Wire.U32(b, at);
                        break;
                    case UnixDiag.UNIX_DIAG_RQLEN when size >= 8:
                        // For a listener: connections waiting for accept() and the backlog limit, as for TCP.
                        row.ReceiveQueue = Wire.U32(b, at);
                        row.SendQueue = Wire.U32(b, at + 4);
                        row.Unseen &= ~UnseenFields.Queues;
                        break;
                    case UnixDiag.UNIX_DIAG_UID when size >= 4:
                        row.Uid = Wire.U32(b, at);
                        row.Unseen &= ~UnseenFields.UserId;
                        break;
                    case UnixDiag.UNIX_DIAG_MEMINFO:
                        row.Memory = SocketMemoryParser.Parse(b, at, size);
                        break;
                    default:
                        break; // the file (VFS), pending connections (ICONS), shutdown state: not shown
                }
            }

            row.Unix = new UnixSocketDetails(type, name, peer);
            return row;
        }
    }
}
