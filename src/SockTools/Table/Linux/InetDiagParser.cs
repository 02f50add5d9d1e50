using System.Collections.Generic;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Parses the messages one recv() on a sock_diag socket returned into <see cref="SocketRecord"/> rows.
    /// Pure: bytes in, rows out, so it is tested on captured and hostile byte fixtures.
    /// </summary>
    internal static class InetDiagParser
    {
        /// <summary>
        /// Parses every netlink message in <paramref name="buffer"/>[0..<paramref name="length"/>).
        /// Rows that pass <paramref name="filter"/> (all when null) are added to <paramref name="sink"/>.
        /// Returns true once NLMSG_DONE ends the dump.
        /// </summary>
        /// <exception cref="SocketTableFormatException">The bytes are truncated or malformed.</exception>
        /// <exception cref="NetlinkErrorException">The kernel answered with an error.</exception>
        internal static bool Parse(byte[] buffer, int length, SocketProtocol protocol, SocketQuery? filter, List<SocketRecord> sink)
            => NetlinkReply.Walk(buffer, length, (payload, payloadLength) =>
            {
                var row = ParseMessage(buffer, payload, payloadLength, protocol);
                if (filter is null || filter.Matches(in row))
                {
                    sink.Add(row);
                }
            });

        private static SocketRecord ParseMessage(byte[] b, int o, int length, SocketProtocol protocol)
        {
            if (length < InetDiag.MessageLength)
            {
                throw new SocketTableFormatException($"Truncated inet_diag_msg: {length} bytes, need {InetDiag.MessageLength}.");
            }

            byte family = b[o];
            if (family != InetDiag.AF_INET && family != InetDiag.AF_INET6)
            {
                throw new SocketTableFormatException($"inet_diag_msg with address family {family}; expected AF_INET or AF_INET6.");
            }

            byte state = b[o + 1];
            if (state < KernelStates.Established || state > KernelStates.NewSynReceived)
            {
                throw new SocketTableFormatException($"inet_diag_msg with unknown state {state}.");
            }

            bool isV6 = family == InetDiag.AF_INET6;
            int id = o + 4;
            var row = new SocketRecord
            {
                Protocol = protocol,
                Timer = KernelStates.ToSocketTimer(b[o + 2]),
                Retransmits = b[o + 3],
                LocalPort = Wire.BigEndianU16(b, id),
                RemotePort = Wire.BigEndianU16(b, id + 2),
                LocalAddress = AddressValue.FromBytes(b, id + 4, isV6),
                RemoteAddress = AddressValue.FromBytes(b, id + 20, isV6),
                InterfaceIndex = Wire.U32(b, id + 36),
                Cookie = Wire.U32(b, id + 40) | ((ulong)Wire.U32(b, id + 44) << 32),
            };

            int tail = id + InetDiag.SockIdLength;
            row.TimerExpiresMs = Wire.U32(b, tail);
            row.ReceiveQueue = Wire.U32(b, tail + 4);
            row.SendQueue = Wire.U32(b, tail + 8);
            row.Uid = Wire.U32(b, tail + 12);
            row.Inode = Wire.U32(b, tail + 16);

            ReadAttributes(b, o + InetDiag.MessageLength, length - InetDiag.MessageLength, ref row);
            row.State = KernelStates.ToSocketState(row.Protocol, state); // after the attributes: they may name the protocol
            return row;
        }

        /// <summary>
        /// Walks the rtattr list after the message, so a malformed tail is caught rather than misread, and
        /// takes what it needs: INET_DIAG_PROTOCOL names the protocol in messages that are not answers to
        /// a per-protocol dump (destroy notifications); INET_DIAG_SKV6ONLY says whether an IPv6 listener
        /// takes IPv4 connections too.
        /// </summary>
        private static void ReadAttributes(byte[] b, int offset, int length, ref SocketRecord row)
        {
            var attributes = new NetlinkAttributes(b, offset, length);
            while (attributes.Next(out ushort type, out int at, out int size))
            {
                if (type == InetDiag.INET_DIAG_INFO && row.Protocol == SocketProtocol.Tcp)
                {
                    row.Tcp ??= new TcpDetails();
                    TcpInfoParser.Parse(b, at, size, row.Tcp);
                }
                else if (type == InetDiag.INET_DIAG_CONG && size > 0)
                {
                    row.Tcp ??= new TcpDetails();
                    row.Tcp.CongestionControl = TcpInfoParser.ParseCongestionControl(b, at, size);
                }
                else if (type == InetDiag.INET_DIAG_SKV6ONLY && size >= 1)
                {
                    row.V6Only = b[at] != 0;
                }
                else if (type == InetDiag.INET_DIAG_SKMEMINFO)
                {
                    row.Memory = SocketMemoryParser.Parse(b, at, size);
                }
                else if (type == InetDiag.INET_DIAG_PROTOCOL && size >= 1)
                {
                    byte protocol = b[at];
                    if (protocol == InetDiag.IPPROTO_TCP || protocol == InetDiag.IPPROTO_UDP)
                    {
                        row.Protocol = protocol == InetDiag.IPPROTO_UDP ? SocketProtocol.Udp : SocketProtocol.Tcp;
                    }
                }
            }
        }
    }
}
