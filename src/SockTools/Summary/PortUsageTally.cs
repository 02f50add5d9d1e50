using System;
using System.Collections.Generic;
using SockTools.Query;
using SockTools.Table;

namespace SockTools.Summary
{
    /// <summary>
    /// Groups TCP rows by destination (local address, remote address, remote port) and counts the local ports of
    /// the ephemeral range each destination's sockets hold: the rows of Get-SockPortUsage. Pure: rows and the
    /// range in, destinations out, fullest first.
    /// </summary>
    /// <remarks>
    /// The kernel lets connect() give a local port to a new connection as long as the 4-tuple is unique, so each
    /// destination has the whole range to itself. A socket uses the range only when its local port lies in it;
    /// and a socket whose local port is a port a listener serves on the same address (or on every address) is the
    /// accepted side of a connection, which uses no port of its own. IPv4-mapped addresses count as IPv4: a
    /// dual-stack socket connecting to an IPv4 peer draws from the same ports as an IPv4 socket.
    /// </remarks>
    internal static class PortUsageTally
    {
        /// <param name="rows">TCP rows, listeners included (they decide which sockets are accepted sides).</param>
        /// <param name="inRange">Whether connect() may pick a port (range, less reserved ports).</param>
        /// <param name="rangeSize">How many ports connect() may pick.</param>
        /// <param name="filter">Only destinations whose sockets pass these row filters (remote address and port, local address); null for all.</param>
        internal static List<PortUsage> Count(IReadOnlyList<SocketRecord> rows, Func<int, bool> inRange, int rangeSize, SocketQuery? filter)
        {
            var listening = new HashSet<(AddressValue Address, ushort Port)>();
            var listeningEverywhere = new HashSet<ushort>();
            for (int i = 0; i < rows.Count; i++)
            {
                SocketRecord row = rows[i];
                if (row.Protocol == SocketProtocol.Tcp && row.State == SocketState.Listen)
                {
                    AddressValue address = row.LocalAddress.Unmapped;
                    if (address.IsAny)
                    {
                        listeningEverywhere.Add(row.LocalPort);
                    }
                    else
                    {
                        listening.Add((address, row.LocalPort));
                    }
                }
            }

            var destinations = new Dictionary<(AddressValue Local, AddressValue Remote, ushort Port), int[]>();
            for (int i = 0; i < rows.Count; i++)
            {
                SocketRecord row = rows[i];
                if (row.Protocol != SocketProtocol.Tcp || row.State == SocketState.Listen || row.State == SocketState.Bound || !inRange(row.LocalPort))
                {
                    continue;
                }

                AddressValue local = row.LocalAddress.Unmapped;
                if (listeningEverywhere.Contains(row.LocalPort) || listening.Contains((local, row.LocalPort)))
                {
                    continue; // the accepted side of a connection to a listener in the range
                }

                if (filter != null && !filter.Matches(in row))
                {
                    continue;
                }

                var key = (local, row.RemoteAddress.Unmapped, row.RemotePort);
                if (!destinations.TryGetValue(key, out int[]? count))
                {
                    count = new int[2];
                    destinations.Add(key, count);
                }

                count[0]++;
                if (row.State == SocketState.TimeWait)
                {
                    count[1]++;
                }
            }

            var usage = new List<(PortUsage Row, AddressValue Local, AddressValue Remote)>(destinations.Count);
            foreach (KeyValuePair<(AddressValue Local, AddressValue Remote, ushort Port), int[]> d in destinations)
            {
                var row = new PortUsage(SocketProtocol.Tcp, d.Key.Local.ToString(), d.Key.Remote.ToString(), d.Key.Port, d.Value[0], d.Value[1], rangeSize);
                usage.Add((row, d.Key.Local, d.Key.Remote));
            }

            // Fullest first; among equals by port, then by address (IPv4 before IPv6), so the order is stable.
            usage.Sort((a, b) =>
            {
                int c = b.Row.InUse.CompareTo(a.Row.InUse);
                c = c != 0 ? c : a.Row.RemotePort.CompareTo(b.Row.RemotePort);
                c = c != 0 ? c : Compare(a.Remote, b.Remote);
                return c != 0 ? c : Compare(a.Local, b.Local);
            });

            var sorted = new List<PortUsage>(usage.Count);
            foreach (var item in usage)
            {
                sorted.Add(item.Row);
            }

            return sorted;
        }

        private static int Compare(AddressValue a, AddressValue b)
        {
            int c = a.IsV6.CompareTo(b.IsV6);
            c = c != 0 ? c : a.High.CompareTo(b.High);
            return c != 0 ? c : a.Low.CompareTo(b.Low);
        }
    }
}
