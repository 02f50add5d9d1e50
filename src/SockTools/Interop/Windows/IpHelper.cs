using System.Runtime.InteropServices;

namespace SockTools.Interop.Windows
{
    /// <summary>
    /// The IP Helper calls that list the TCP and UDP tables with their owning process (iphlpapi.h). Declarations
    /// only: the tables come back as bytes, which Table/Windows parses, so the parsing is tested anywhere.
    /// The library is loaded from System32 only (see AssemblyInfo.cs).
    /// </summary>
    internal static unsafe class IpHelper
    {
        private const string Lib = "iphlpapi.dll";

        /// <summary>Address families as ws2def.h numbers them (AF_INET6 is 23 on Windows, not 10 as on Linux).</summary>
        internal const uint AF_INET = 2;
        internal const uint AF_INET6 = 23;

        /// <summary>TCP_TABLE_CLASS: every TCP row (listeners and connections) with its owning pid.</summary>
        internal const int TCP_TABLE_OWNER_PID_ALL = 5;

        /// <summary>UDP_TABLE_CLASS: every UDP endpoint with its owning pid.</summary>
        internal const int UDP_TABLE_OWNER_PID = 1;

        /// <summary>
        /// DWORD GetExtendedTcpTable(PVOID pTcpTable, PDWORD pdwSize, BOOL bOrder, ULONG ulAf, TCP_TABLE_CLASS TableClass, ULONG Reserved).
        /// Returns the error code itself (it does not set the thread's last error).
        /// </summary>
        [DllImport(Lib, ExactSpelling = true)]
        internal static extern uint GetExtendedTcpTable(byte* table, ref int size, int order, uint addressFamily, int tableClass, uint reserved);

        /// <summary>
        /// DWORD SetTcpEntry(PMIB_TCPROW pTcpRow): with dwState MIB_TCP_STATE_DELETE_TCB it resets and drops one IPv4
        /// connection of any process (administrators only). Returns the error code itself.
        /// </summary>
        [DllImport(Lib, ExactSpelling = true)]
        internal static extern uint SetTcpEntry(ref MibTcpRow row);

        /// <summary>DWORD GetExtendedUdpTable(PVOID pUdpTable, PDWORD pdwSize, BOOL bOrder, ULONG ulAf, UDP_TABLE_CLASS TableClass, ULONG Reserved).</summary>
        [DllImport(Lib, ExactSpelling = true)]
        internal static extern uint GetExtendedUdpTable(byte* table, ref int size, int order, uint addressFamily, int tableClass, uint reserved);
    }
}
