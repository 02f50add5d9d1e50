using System;
using SockTools.Interop.Windows;

namespace SockTools.Table.Windows
{
    /// <summary>
    /// Closes IPv4 TCP connections of any process the one way Windows offers: SetTcpEntry with the connection's
    /// MIB_TCPROW and state MIB_TCP_STATE_DELETE_TCB, which resets the connection (the owner's next call fails, the
    /// peer gets a RST) and leaves the process running. Windows has no such call for IPv6 connections or UDP
    /// sockets; those are refused here before any call, each with its reason.
    /// </summary>
    internal sealed class WindowsSocketCloser : ISocketCloser
    {
        private const string NeedsElevation =
            "Closing another process's connection on Windows needs an elevated PowerShell (Run as administrator): SetTcpEntry refuses every connection otherwise.";

        private readonly Func<MibTcpRow, uint> _setTcpEntry;

        internal WindowsSocketCloser()
            : this(row => IpHelper.SetTcpEntry(ref row))
        {
        }

        /// <summary>For tests: <paramref name="setTcpEntry"/> stands in for the IP Helper call.</summary>
        internal WindowsSocketCloser(Func<MibTcpRow, uint> setTcpEntry) => _setTcpEntry = setTcpEntry;

        public SocketCloseOutcome Close(SocketEntry entry)
        {
            if (entry.Protocol != SocketProtocol.Tcp)
            {
                return new SocketCloseOutcome(SocketCloseResult.StateUnsupported, "Windows cannot close a UDP socket from outside (SetTcpEntry takes TCP connections only)", null);
            }

            if (entry.LocalValue.IsV6)
            {
                return new SocketCloseOutcome(SocketCloseResult.StateUnsupported, "Windows cannot close an IPv6 connection from outside (SetTcpEntry takes IPv4 rows only)", null);
            }

            if (entry.State == SocketState.TimeWait)
            {
                return new SocketCloseOutcome(SocketCloseResult.StateUnsupported, "a TIME_WAIT socket belongs to no process and Windows frees it by itself", null);
            }

            uint error = _setTcpEntry(RowFor(entry));
            return Outcome(error);
        }

        public void Dispose()
        {
        }

        /// <summary>
        /// The MIB_TCPROW naming <paramref name="entry"/>'s connection with state DELETE_TCB: addresses as their
        /// bytes in network order, ports in the low 16 bits of their DWORD in network order, as the tables give them.
        /// </summary>
        internal static MibTcpRow RowFor(SocketEntry entry) => new MibTcpRow
        {
            State = MibTcpStates.DeleteTcb,
            LocalAddr = InMemoryOrder((uint)entry.LocalValue.Low),
            LocalPort = InMemoryOrder((ushort)entry.LocalPort!.Value), // a TCP socket (Close refuses the rest first) always has ports
            RemoteAddr = InMemoryOrder((uint)entry.RemoteValue.Low),
            RemotePort = InMemoryOrder((ushort)entry.RemotePort!.Value),
        };

        /// <summary>What SetTcpEntry's answer means for one connection.</summary>
        internal static SocketCloseOutcome Outcome(uint error) => (Win32Error)error switch
        {
            Win32Error.ERROR_SUCCESS => SocketCloseOutcome.Closed,
            Win32Error.ERROR_ACCESS_DENIED or Win32Error.ERROR_MR_MID_NOT_FOUND
                => new SocketCloseOutcome(SocketCloseResult.Denied, "Windows refused: " + WindowsCallException.Describe((int)error), NeedsElevation),

            // Not in SetTcpEntry's documented list, but what it answers for a row no connection has (any more).
            Win32Error.ERROR_NOT_FOUND => new SocketCloseOutcome(SocketCloseResult.Gone, "it was already gone", null),
            _ => new SocketCloseOutcome(SocketCloseResult.Failed, "Windows refused: " + WindowsCallException.Describe((int)error), null),
        };

        // The DWORD whose bytes in memory are the value's network-order (big-endian) bytes, on this little-endian
        // 64-bit Windows: what the tables hold and SetTcpEntry expects.
        private static uint InMemoryOrder(uint networkOrderValue)
            => (networkOrderValue >> 24) | ((networkOrderValue >> 8) & 0xFF00) | ((networkOrderValue << 8) & 0xFF0000) | (networkOrderValue << 24);

        private static uint InMemoryOrder(ushort port) => (uint)((port >> 8) | ((port & 0xFF) << 8));
    }
}
