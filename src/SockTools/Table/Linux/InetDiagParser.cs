using System;
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
        {
            if (length < 0 || length > buffer.Length)
            {
                throw new SocketTableFormatException($"Buffer length {length} is outside the buffer of {buffer.Length} bytes.");
            }

            int offset = 0;
            while (offset < length)
            {
                int remaining = length - offset;
                if (remaining < InetDiag.NlmsgHeaderLength)
                {
                    throw new SocketTableFormatException($"Truncated netlink header: {remaining} bytes left at offset {offset}.");
                }

                int messageLength = (int)Wire.U32(buffer, offset);
                ushort type = Wire.U16(buffer, offset + 4);
                if (messageLength < InetDiag.NlmsgHeaderLength || messageLength > remaining)
                {
                    throw new SocketTableFormatException($"Netlink message at offset {offset} claims {messageLength} bytes; {remaining} are left.");
                }

                int payload = offset + InetDiag.NlmsgHeaderLength;
                int payloadLength = messageLength - InetDiag.NlmsgHeaderLength;
                switch (type)
                {
                    case InetDiag.NLMSG_DONE:
                        // A dump that fails inside the kernel still ends with NLMSG_DONE; its int payload
                        // then carries the negative errno (e.g. -ENOENT when no sock_diag handler serves the
                        // protocol, as when udp_diag is not available). Ignoring it made such a dump look like
                        // an empty table instead of an error the reader can fall back from.
                        if (payloadLength >= 4 && (int)Wire.U32(buffer, payload) < 0)
                        {
                            throw new NetlinkErrorException(-(int)Wire.U32(buffer, payload));
                        }

                        return true;
                    case InetDiag.NLMSG_ERROR:
                        ThrowError(buffer, payload, payloadLength);
                        break;
                    case InetDiag.SOCK_DIAG_BY_FAMILY:
                        var row = ParseMessage(buffer, payload, payloadLength, protocol);
                        if (filter is null || filter.Matches(in row))
                        {
                            sink.Add(row);
                        }

                        break;
                    default:
                        break; // NLMSG_NOOP and friends carry nothing for us
                }

                offset += InetDiag.Align(messageLength);
            }

            return false;
        }

        private static void ThrowError(byte[] buffer, int payload, int payloadLength)
        {
            if (payloadLength < 4)
            {
                throw new SocketTableFormatException("Truncated NLMSG_ERROR: no error code.");
            }

            int error = (int)Wire.U32(buffer, payload);
            if (error != 0)
            {
                throw new NetlinkErrorException(-error);
            }
        }

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
            while (length >= 4)
            {
                int attributeLength = Wire.U16(b, offset);
                if (attributeLength < 4 || attributeLength > length)
                {
                    throw new SocketTableFormatException($"Malformed attribute of {attributeLength} bytes with {length} left.");
                }

                ushort type = Wire.U16(b, offset + 2);
                if (type == InetDiag.INET_DIAG_INFO && row.Protocol == SocketProtocol.Tcp)
                {
                    row.Tcp ??= new TcpDetails();
                    TcpInfoParser.Parse(b, offset + 4, attributeLength - 4, row.Tcp);
                }
                else if (type == InetDiag.INET_DIAG_CONG && attributeLength > 4)
                {
                    row.Tcp ??= new TcpDetails();
                    row.Tcp.CongestionControl = TcpInfoParser.ParseCongestionControl(b, offset + 4, attributeLength - 4);
                }
                else if (type == InetDiag.INET_DIAG_SKV6ONLY && attributeLength >= 5)
                {
                    row.V6Only = b[offset + 4] != 0;
                }
                else if (type == InetDiag.INET_DIAG_PROTOCOL && attributeLength >= 5)
                {
                    byte protocol = b[offset + 4];
                    if (protocol == InetDiag.IPPROTO_TCP || protocol == InetDiag.IPPROTO_UDP)
                    {
                        row.Protocol = protocol == InetDiag.IPPROTO_UDP ? SocketProtocol.Udp : SocketProtocol.Tcp;
                    }
                }

                int aligned = Math.Min(InetDiag.Align(attributeLength), length);
                offset += aligned;
                length -= aligned;
            }
        }
    }
}
