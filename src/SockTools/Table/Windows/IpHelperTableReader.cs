using System.Collections.Generic;
using SockTools.Interop.Windows;
using SockTools.Query;

namespace SockTools.Table.Windows
{
    /// <summary>
    /// Windows rows: the IP Helper TCP and UDP tables with owning pids (GetExtendedTcpTable with
    /// TCP_TABLE_OWNER_PID_ALL, GetExtendedUdpTable with UDP_TABLE_OWNER_PID), for IPv4 and IPv6. Windows
    /// filters nothing but "listeners only", so the query filters the rows.
    /// </summary>
    internal sealed unsafe class IpHelperTableReader : ISocketTableReader
    {
        /// <summary>TCP_TABLE_OWNER_PID_LISTENER: only listening TCP sockets (Get-SockListener needs no more).</summary>
        private const int TcpTableOwnerPidListener = 3;

        public void Read(SocketQuery query, List<SocketRecord> rows, ITableLog log)
        {
            if (query.IncludeTcpInfo)
            {
                log.Verbose("TCP internals are read through Linux's netlink sock_diag only: on Windows those properties stay empty.");
            }

            bool listenersOnly = MibTcpStates.ListenersOnly(query);
            foreach (IpHelperLayout table in IpHelperLayout.All)
            {
                if (!query.Includes(table.Protocol) || !(table.IsV6 ? query.IncludeIPv6 : query.IncludeIPv4))
                {
                    continue;
                }

                string call = table.Protocol == SocketProtocol.Tcp ? "GetExtendedTcpTable" : "GetExtendedUdpTable";
                uint family = table.IsV6 ? IpHelper.AF_INET6 : IpHelper.AF_INET;
                int tableClass = table.Protocol == SocketProtocol.Udp ? IpHelper.UDP_TABLE_OWNER_PID
                    : listenersOnly ? TcpTableOwnerPidListener : IpHelper.TCP_TABLE_OWNER_PID_ALL;
                log.Verbose($"Reading {table.Name} with {call}.");
                byte[]? buffer = IpHelperFetch.Read(call, (byte[] b, ref int size) => Call(table.Protocol, b, ref size, family, tableClass), out int length);
                if (buffer is null)
                {
                    log.Verbose($"{call} has no {(table.IsV6 ? "IPv6" : "IPv4")} table here (ERROR_NO_DATA: no interface of that family).");
                    continue;
                }

                IpHelperTableParser.Parse(buffer, length, table, query, rows);
            }
        }

        private static uint Call(SocketProtocol protocol, byte[] buffer, ref int size, uint family, int tableClass)
        {
            fixed (byte* table = buffer)
            {
                // bOrder 0: unsorted; the cmdlets sort what they show themselves.
                return protocol == SocketProtocol.Tcp
                    ? IpHelper.GetExtendedTcpTable(buffer.Length == 0 ? null : table, ref size, 0, family, tableClass, 0)
                    : IpHelper.GetExtendedUdpTable(buffer.Length == 0 ? null : table, ref size, 0, family, tableClass, 0);
            }
        }
    }
}
