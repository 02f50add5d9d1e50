using System;
using System.Runtime.InteropServices;
using SockTools.Interop.Windows;

namespace SockTools.Table.Windows
{
    /// <summary>
    /// Where each field of one IP Helper table sits in its bytes, taken from the row structs declared in
    /// Interop/Windows/MibTables.cs (which mirror tcpmib.h and udpmib.h and whose sizes and offsets the tests
    /// pin to the documented ones). One instance per table: TCP/UDP by IPv4/IPv6.
    /// </summary>
    internal sealed class IpHelperLayout
    {
        internal static readonly IpHelperLayout Tcp4 = new IpHelperLayout(
            "the IPv4 TCP table (MIB_TCPTABLE_OWNER_PID)", SocketProtocol.Tcp, false, typeof(MibTcpTableOwnerPid), typeof(MibTcpRowOwnerPid),
            "State", "LocalAddr", null, "LocalPort", "RemoteAddr", "RemotePort", "OwningPid");

        internal static readonly IpHelperLayout Tcp6 = new IpHelperLayout(
            "the IPv6 TCP table (MIB_TCP6TABLE_OWNER_PID)", SocketProtocol.Tcp, true, typeof(MibTcp6TableOwnerPid), typeof(MibTcp6RowOwnerPid),
            "State", "LocalAddr", "LocalScopeId", "LocalPort", "RemoteAddr", "RemotePort", "OwningPid");

        internal static readonly IpHelperLayout Udp4 = new IpHelperLayout(
            "the IPv4 UDP table (MIB_UDPTABLE_OWNER_PID)", SocketProtocol.Udp, false, typeof(MibUdpTableOwnerPid), typeof(MibUdpRowOwnerPid),
            null, "LocalAddr", null, "LocalPort", null, null, "OwningPid");

        internal static readonly IpHelperLayout Udp6 = new IpHelperLayout(
            "the IPv6 UDP table (MIB_UDP6TABLE_OWNER_PID)", SocketProtocol.Udp, true, typeof(MibUdp6TableOwnerPid), typeof(MibUdp6RowOwnerPid),
            null, "LocalAddr", "LocalScopeId", "LocalPort", null, null, "OwningPid");

        /// <summary>The four tables in the order they are read.</summary>
        internal static readonly IpHelperLayout[] All = { Tcp4, Tcp6, Udp4, Udp6 };

        private IpHelperLayout(string name, SocketProtocol protocol, bool isV6, Type table, Type row, string? state, string localAddress, string? localScope, string localPort, string? remoteAddress, string? remotePort, string owningPid)
        {
            Name = name;
            Protocol = protocol;
            IsV6 = isV6;
            FirstRow = Offset(table, "FirstRow");
            RowSize = Marshal.SizeOf(row);
            State = state is null ? -1 : Offset(row, state);
            LocalAddress = Offset(row, localAddress);
            LocalScope = localScope is null ? -1 : Offset(row, localScope);
            LocalPort = Offset(row, localPort);
            RemoteAddress = remoteAddress is null ? -1 : Offset(row, remoteAddress);
            RemotePort = remotePort is null ? -1 : Offset(row, remotePort);
            OwningPid = Offset(row, owningPid);
        }

        internal string Name { get; }

        internal SocketProtocol Protocol { get; }

        internal bool IsV6 { get; }

        /// <summary>Where the first row starts: right after the DWORD dwNumEntries.</summary>
        internal int FirstRow { get; }

        internal int RowSize { get; }

        /// <summary>Offsets inside a row; -1 for a field the table does not have (UDP has no state or peer).</summary>
        internal int State { get; }

        internal int LocalAddress { get; }

        internal int LocalScope { get; }

        internal int LocalPort { get; }

        internal int RemoteAddress { get; }

        internal int RemotePort { get; }

        internal int OwningPid { get; }

        private static int Offset(Type type, string field) => Marshal.OffsetOf(type, field).ToInt32();
    }
}
