using System;
using System.Collections.Generic;
using SockTools.Query;

namespace SockTools.Table.Windows
{
    /// <summary>
    /// Turns one table that GetExtendedTcpTable or GetExtendedUdpTable wrote (a DWORD count, then fixed-size
    /// rows) into <see cref="SocketRecord"/> rows. Pure: bytes in, rows out, so it is tested on byte fixtures
    /// built from the documented layouts, here on Linux as well.
    /// </summary>
    internal static class IpHelperTableParser
    {
        /// <summary>What Windows' tables never carry: null on every entry, never a made-up 0.</summary>
        internal const UnseenFields Unseen = UnseenFields.Queues | UnseenFields.Timer | UnseenFields.Retransmits | UnseenFields.UserId | UnseenFields.Inode;

        /// <summary>Adds the rows of <paramref name="buffer"/>[0..<paramref name="length"/>) that pass <paramref name="filter"/> (all when null).</summary>
        /// <exception cref="SocketTableFormatException">The bytes are shorter than the rows they claim, or a row is impossible.</exception>
        internal static void Parse(byte[] buffer, int length, IpHelperLayout table, SocketQuery? filter, List<SocketRecord> sink)
        {
            if (length < 0 || length > buffer.Length)
            {
                throw new SocketTableFormatException($"Buffer length {length} is outside the buffer of {buffer.Length} bytes.");
            }

            if (length < table.FirstRow)
            {
                throw new SocketTableFormatException($"{Capital(table.Name)} is {length} bytes long, too short for its row count.");
            }

            uint count = BitConverter.ToUInt32(buffer, 0);
            long needed = table.FirstRow + ((long)count * table.RowSize);
            if (needed > length)
            {
                throw new SocketTableFormatException($"{Capital(table.Name)} claims {count} rows ({needed} bytes), but only {length} bytes were written.");
            }

            for (int i = 0; i < count; i++)
            {
                SocketRecord row = ReadRow(buffer, table.FirstRow + (i * table.RowSize), table, i);
                if (filter is null || filter.Matches(in row))
                {
                    sink.Add(row);
                }
            }
        }

        private static SocketRecord ReadRow(byte[] b, int at, IpHelperLayout table, int index)
        {
            var row = new SocketRecord
            {
                Protocol = table.Protocol,
                Unseen = Unseen,
                LocalAddress = AddressValue.FromBytes(b, at + table.LocalAddress, table.IsV6),
                LocalPort = Port(b, at + table.LocalPort),
            };

            if (table.State >= 0)
            {
                uint state = BitConverter.ToUInt32(b, at + table.State);
                if (!MibTcpStates.IsKnown(state))
                {
                    throw new SocketTableFormatException($"Row {index} of {table.Name} has the unknown TCP state {state}.");
                }

                row.State = MibTcpStates.ToSocketState(state);
            }
            else
            {
                // The UDP tables list local endpoints only: whether a UDP socket is connect()ed is not in them.
                row.State = SocketState.Unconnected;
            }

            // A listener's remote fields "have no meaning" (tcpmib.h), so they are not read: no peer, as on Linux.
            bool hasPeer = table.RemoteAddress >= 0 && row.State != SocketState.Listen;
            row.RemoteAddress = hasPeer ? AddressValue.FromBytes(b, at + table.RemoteAddress, table.IsV6) : new AddressValue(table.IsV6, 0, 0);
            row.RemotePort = hasPeer ? Port(b, at + table.RemotePort) : (ushort)0;

            // The scope id of a link-local address is the interface it lives on (used by .NET as a host-order
            // number, as here, although the SDK text calls it network order); 0 for every other address.
            row.InterfaceIndex = table.LocalScope >= 0 ? BitConverter.ToUInt32(b, at + table.LocalScope) : 0;

            uint pid = BitConverter.ToUInt32(b, at + table.OwningPid);
            if (pid > int.MaxValue)
            {
                throw new SocketTableFormatException($"Row {index} of {table.Name} names the impossible process id {pid}.");
            }

            // Pid 0 is the System Idle Process: Windows' word for "nobody" (TIME_WAIT, sockets whose program is gone).
            row.ProcessId = (int)pid;
            return row;
        }

        /// <summary>A port: network byte order in the low 16 bits of a DWORD, which are its first two bytes in memory; the rest may be garbage.</summary>
        private static ushort Port(byte[] b, int at) => (ushort)((b[at] << 8) | b[at + 1]);

        private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
