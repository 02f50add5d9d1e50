using System;
using System.Collections.Generic;
using SockTools.Query;
using L = SockTools.Table.MacOS.PcbListLayout;

namespace SockTools.Table.MacOS
{
    /// <summary>
    /// Walks what sysctl net.inet.{tcp,udp}.pcblist_n wrote: a struct xinpgen, then for each socket a set of
    /// records (xinpcb_n first, then xsocket_n, the receive and send xsockbuf_n, xsockstat_n and, for TCP,
    /// xtcpcb_n), each carrying its own length and kind and starting on 8 bytes, and a closing xinpgen. Records
    /// are taken by kind, never by position, and kinds it does not know are stepped over by their length.
    /// Pure: bytes in, rows out, so it is tested on fixtures built from the documented layouts.
    /// </summary>
    internal static class PcbListParser
    {
        /// <summary>What pcblist_n does not carry: timers in a form worth showing, and socket files (macOS has no socket inodes).</summary>
        internal const UnseenFields Unseen = UnseenFields.Timer | UnseenFields.Inode;

        /// <summary>Adds the rows that pass <paramref name="filter"/> (all when null).</summary>
        /// <returns>True when the list changed while the kernel copied it (the two xinpgen generations differ).</returns>
        /// <exception cref="SocketTableFormatException">The bytes are truncated or malformed.</exception>
        internal static bool Parse(byte[] buffer, int length, SocketProtocol protocol, SocketQuery? filter, List<SocketRecord> sink)
        {
            if (length < 0 || length > buffer.Length)
            {
                throw new SocketTableFormatException($"Buffer length {length} is outside the buffer of {buffer.Length} bytes.");
            }

            string list = protocol == SocketProtocol.Tcp ? "net.inet.tcp.pcblist_n" : "net.inet.udp.pcblist_n";
            if (length < L.GenSize)
            {
                throw new SocketTableFormatException($"{list} is {length} bytes long, too short for its xinpgen header.");
            }

            uint headerLength = U32(buffer, 0);
            if (headerLength < L.GenSize || headerLength > length)
            {
                throw new SocketTableFormatException($"{list} starts with an xinpgen of {headerLength} bytes.");
            }

            ulong generation = BitConverter.ToUInt64(buffer, L.GenGeneration);
            var item = new Item(protocol, list);
            long at = L.Align((int)headerLength);
            while (true)
            {
                if (at + 8 > length)
                {
                    throw new SocketTableFormatException($"{list} ends at byte {Math.Min(at, length)} without its closing xinpgen.");
                }

                int start = (int)at;
                uint recordLength = U32(buffer, start);
                uint kind = U32(buffer, start + 4);
                if (recordLength == L.GenSize)
                {
                    // The closing xinpgen (no record kind is this short): the list is whole.
                    if (start + L.GenSize > length)
                    {
                        throw new SocketTableFormatException($"{list} ends inside its closing xinpgen.");
                    }

                    item.Finish(buffer, filter, sink);
                    return BitConverter.ToUInt64(buffer, start + L.GenGeneration) != generation;
                }

                if (recordLength < 8 || recordLength > length - start)
                {
                    throw new SocketTableFormatException($"{list}: the record at byte {start} claims {recordLength} bytes; {length - start} are left.");
                }

                if (kind == L.XSO_INPCB)
                {
                    item.Finish(buffer, filter, sink); // an xinpcb_n opens the next socket's records
                    item.Open(start);
                }

                item.Take(kind, start, (int)recordLength);
                at = start + (long)L.Align((int)recordLength);
            }
        }

        private static uint U32(byte[] b, int at) => BitConverter.ToUInt32(b, at);

        /// <summary>The records of one socket, by kind, until the next xinpcb_n or the closing xinpgen.</summary>
        private sealed class Item
        {
            private readonly SocketProtocol _protocol;
            private readonly string _list;
            private int _inpcb = -1;
            private int _socket = -1;
            private int _receive = -1;
            private int _send = -1;
            private int _tcp = -1;

            internal Item(SocketProtocol protocol, string list)
            {
                _protocol = protocol;
                _list = list;
            }

            internal void Open(int at)
            {
                _inpcb = at;
                _socket = _receive = _send = _tcp = -1;
            }

            internal void Take(uint kind, int at, int length)
            {
                switch (kind)
                {
                    case L.XSO_INPCB:
                        Require(length, L.InpMinimum, "xinpcb_n", at);
                        return;
                    case L.XSO_SOCKET:
                        Require(length, L.SoMinimum, "xsocket_n", at);
                        Put(ref _socket, at, "xsocket_n");
                        return;
                    case L.XSO_RCVBUF:
                        Require(length, L.SbMinimum, "xsockbuf_n", at);
                        Put(ref _receive, at, "receive xsockbuf_n");
                        return;
                    case L.XSO_SNDBUF:
                        Require(length, L.SbMinimum, "xsockbuf_n", at);
                        Put(ref _send, at, "send xsockbuf_n");
                        return;
                    case L.XSO_TCPCB:
                        Require(length, L.TcpMinimum, "xtcpcb_n", at);
                        Put(ref _tcp, at, "xtcpcb_n");
                        return;
                    default:
                        // xsockstat_n, and whatever a newer kernel adds: not needed, stepped over by its length.
                        return;
                }
            }

            /// <summary>Turns the socket's records into a row, if a socket is open; every record it needs must be there.</summary>
            internal void Finish(byte[] b, SocketQuery? filter, List<SocketRecord> sink)
            {
                if (_inpcb < 0)
                {
                    return;
                }

                string? missing = _socket < 0 ? "xsocket_n" : _receive < 0 ? "receive xsockbuf_n" : _send < 0 ? "send xsockbuf_n"
                    : _protocol == SocketProtocol.Tcp && _tcp < 0 ? "xtcpcb_n" : null;
                if (missing is not null)
                {
                    throw new SocketTableFormatException($"{_list}: the socket whose xinpcb_n is at byte {_inpcb} has no {missing}.");
                }

                if (Row(b) is SocketRecord row && (filter is null || filter.Matches(in row)))
                {
                    sink.Add(row);
                }

                _inpcb = -1;
            }

            private SocketRecord? Row(byte[] b)
            {
                byte family = b[_inpcb + L.InpVersionFlags];
                bool isV6 = (family & L.INP_IPV6) != 0;
                if (!isV6 && (family & L.INP_IPV4) == 0)
                {
                    return null; // neither IPv4 nor IPv6: a socket still being set up, nothing to show yet
                }

                var row = new SocketRecord { Protocol = _protocol, Unseen = Unseen };
                row.LocalAddress = MacAddress.Read(b, _inpcb + L.InpLocalAddress, isV6, out uint scope);
                row.RemoteAddress = MacAddress.Read(b, _inpcb + L.InpForeignAddress, isV6, out _);
                row.InterfaceIndex = scope;

                // An IPv6 socket keeps INP_IPV4 too while it is bound to :: without IPV6_V6ONLY (in6_pcbbind): it
                // takes IPv4 as well; netstat prints such a socket as tcp46.
                row.V6Only = isV6 ? (family & L.INP_IPV4) == 0 : null;
                row.LocalPort = BigEndian16(b, _inpcb + L.InpLocalPort);
                row.RemotePort = BigEndian16(b, _inpcb + L.InpForeignPort);

                ulong handle = BitConverter.ToUInt64(b, _socket + L.SoHandle);
                ushort state = BitConverter.ToUInt16(b, _socket + L.SoState);
                row.Uid = BitConverter.ToUInt32(b, _socket + L.SoUid);
                if (handle == 0)
                {
                    // A flow of a user-space network stack (Skywalk) rather than a kernel socket: no file to find, and
                    // no credentials (so_uid is a zeroed field, not root); the kernel names its process instead.
                    row.Unseen |= UnseenFields.UserId;
                    int pid = BitConverter.ToInt32(b, _socket + L.SoLastPid);
                    row.ProcessId = pid > 0 ? pid : 0;
                }

                // Only a socket some file still refers to can be found in a process's file table.
                row.SocketHandle = (state & L.SS_NOFDREF) == 0 ? handle : 0;

                if (_protocol == SocketProtocol.Tcp)
                {
                    int tcpState = BitConverter.ToInt32(b, _tcp + L.TcpState);
                    if (!MacTcpStates.IsKnown(tcpState))
                    {
                        throw new SocketTableFormatException($"{_list}: the socket whose xinpcb_n is at byte {_inpcb} has the unknown TCP state {tcpState}.");
                    }

                    row.State = MacTcpStates.ToSocketState(tcpState);
                    row.Retransmits = (uint)Math.Max(0, BitConverter.ToInt32(b, _tcp + L.TcpRetransmitShift));
                }
                else
                {
                    // connect() on a UDP socket fixes its peer: that is what "Established" means for UDP on Linux too.
                    row.State = row.RemotePort != 0 || !row.RemoteAddress.IsAny ? SocketState.Established : SocketState.Unconnected;
                }

                if (row.State == SocketState.Listen)
                {
                    // A listener's queues, as ss shows them on Linux: connections waiting for accept(), and the backlog.
                    row.ReceiveQueue = BitConverter.ToUInt16(b, _socket + L.SoQueueLength);
                    row.SendQueue = BitConverter.ToUInt16(b, _socket + L.SoQueueLimit);
                }
                else
                {
                    row.ReceiveQueue = BitConverter.ToUInt32(b, _receive + L.SbByteCount);
                    row.SendQueue = BitConverter.ToUInt32(b, _send + L.SbByteCount);
                }

                return row;
            }

            private void Put(ref int slot, int at, string what)
            {
                if (_inpcb < 0)
                {
                    throw new SocketTableFormatException($"{_list}: an {what} at byte {at} comes before any xinpcb_n.");
                }

                if (slot >= 0)
                {
                    throw new SocketTableFormatException($"{_list}: the socket whose xinpcb_n is at byte {_inpcb} has a second {what} at byte {at}.");
                }

                slot = at;
            }

            private void Require(int length, int minimum, string what, int at)
            {
                if (length < minimum)
                {
                    throw new SocketTableFormatException($"{_list}: the {what} at byte {at} is {length} bytes long; at least {minimum} are needed.");
                }
            }

            private static ushort BigEndian16(byte[] b, int at) => (ushort)((b[at] << 8) | b[at + 1]);
        }
    }
}
