using System.Runtime.InteropServices;

namespace SockTools.Interop.Windows
{
    // The rows GetExtendedTcpTable / GetExtendedUdpTable write (tcpmib.h, udpmib.h), field for field as the
    // Windows SDK documents them. Every field is a DWORD or a byte array, so the rows align to 4 bytes and a
    // table's first row follows its DWORD count at offset 4, with no padding: the *Table structs below, with
    // their one-row array (ANY_SIZE is 1), say so, and tests check every size and offset. Ports sit in the low
    // 16 bits of their DWORD in network byte order (the first two bytes in memory); the upper bytes may hold
    // garbage. Table/Windows reads the rows from bytes at these offsets (IpHelperLayout).

    /// <summary>
    /// MIB_TCPROW: 20 bytes, what SetTcpEntry takes to name one IPv4 connection (and dwState MIB_TCP_STATE_DELETE_TCB to
    /// end it). The same first five DWORDs as MIB_TCPROW_OWNER_PID, so the same byte orders.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MibTcpRow
    {
        internal uint State;
        internal uint LocalAddr;
        internal uint LocalPort;
        internal uint RemoteAddr;
        internal uint RemotePort;
    }

    /// <summary>MIB_TCPROW_OWNER_PID: 24 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MibTcpRowOwnerPid
    {
        internal uint State;
        internal uint LocalAddr;
        internal uint LocalPort;
        internal uint RemoteAddr;
        internal uint RemotePort;
        internal uint OwningPid;
    }

    /// <summary>MIB_TCP6ROW_OWNER_PID: 56 bytes; addresses are 16 bytes in network order, then a scope id.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MibTcp6RowOwnerPid
    {
        internal fixed byte LocalAddr[16];
        internal uint LocalScopeId;
        internal uint LocalPort;
        internal fixed byte RemoteAddr[16];
        internal uint RemoteScopeId;
        internal uint RemotePort;
        internal uint State;
        internal uint OwningPid;
    }

    /// <summary>MIB_UDPROW_OWNER_PID: 12 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MibUdpRowOwnerPid
    {
        internal uint LocalAddr;
        internal uint LocalPort;
        internal uint OwningPid;
    }

    /// <summary>MIB_UDP6ROW_OWNER_PID: 28 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MibUdp6RowOwnerPid
    {
        internal fixed byte LocalAddr[16];
        internal uint LocalScopeId;
        internal uint LocalPort;
        internal uint OwningPid;
    }

    /// <summary>MIB_TCPTABLE_OWNER_PID: DWORD dwNumEntries, then the rows.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MibTcpTableOwnerPid
    {
        internal uint NumEntries;
        internal MibTcpRowOwnerPid FirstRow;
    }

    /// <summary>MIB_TCP6TABLE_OWNER_PID.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MibTcp6TableOwnerPid
    {
        internal uint NumEntries;
        internal MibTcp6RowOwnerPid FirstRow;
    }

    /// <summary>MIB_UDPTABLE_OWNER_PID.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MibUdpTableOwnerPid
    {
        internal uint NumEntries;
        internal MibUdpRowOwnerPid FirstRow;
    }

    /// <summary>MIB_UDP6TABLE_OWNER_PID.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MibUdp6TableOwnerPid
    {
        internal uint NumEntries;
        internal MibUdp6RowOwnerPid FirstRow;
    }
}
