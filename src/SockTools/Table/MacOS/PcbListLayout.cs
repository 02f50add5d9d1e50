using System;
using System.Runtime.InteropServices;
using SockTools.Interop.MacOS;

namespace SockTools.Table.MacOS
{
    /// <summary>
    /// Where the fields pcblist_n's reader needs sit in each record, taken from the record structs declared in
    /// Interop/MacOS/PcbListRecords.cs (which mirror xnu's headers; the tests pin them to the documented sizes
    /// and offsets), and the kind and flag numbers of those headers.
    /// </summary>
    internal static class PcbListLayout
    {
        // xso_kind and friends (bsd/sys/socketvar.h).
        internal const uint XSO_SOCKET = 0x001;
        internal const uint XSO_RCVBUF = 0x002;
        internal const uint XSO_SNDBUF = 0x004;
        internal const uint XSO_STATS = 0x008;
        internal const uint XSO_INPCB = 0x010;
        internal const uint XSO_TCPCB = 0x020;

        // inp_vflag (bsd/netinet/in_pcb.h): a dual-stack socket bound to :: has both.
        internal const byte INP_IPV4 = 0x1;
        internal const byte INP_IPV6 = 0x2;

        /// <summary>so_state: no file refers to the socket any more (closed by its program, TIME_WAIT, not yet accepted).</summary>
        internal const ushort SS_NOFDREF = 0x0001;

        /// <summary>Records start on 8-byte boundaries (ROUNDUP64 in bsd/netinet/in_pcblist.c).</summary>
        internal static int Align(int length) => (length + 7) & ~7;

        internal static readonly int GenSize = Marshal.SizeOf(typeof(XinpGen));
        internal static readonly int GenGeneration = Offset(typeof(XinpGen), nameof(XinpGen.Generation));

        internal static readonly int InpForeignPort = Offset(typeof(XinpcbN), nameof(XinpcbN.ForeignPort));
        internal static readonly int InpLocalPort = Offset(typeof(XinpcbN), nameof(XinpcbN.LocalPort));
        internal static readonly int InpVersionFlags = Offset(typeof(XinpcbN), nameof(XinpcbN.VersionFlags));
        internal static readonly int InpForeignAddress = Offset(typeof(XinpcbN), nameof(XinpcbN.ForeignAddress));
        internal static readonly int InpLocalAddress = Offset(typeof(XinpcbN), nameof(XinpcbN.LocalAddress));

        /// <summary>The shortest xinpcb_n this reader accepts: up to the end of the local address.</summary>
        internal static readonly int InpMinimum = InpLocalAddress + 16;

        internal static readonly int SoHandle = Offset(typeof(XsocketN), nameof(XsocketN.SocketHandle));
        internal static readonly int SoState = Offset(typeof(XsocketN), nameof(XsocketN.State));
        internal static readonly int SoQueueLength = Offset(typeof(XsocketN), nameof(XsocketN.QueueLength));
        internal static readonly int SoQueueLimit = Offset(typeof(XsocketN), nameof(XsocketN.QueueLimit));
        internal static readonly int SoUid = Offset(typeof(XsocketN), nameof(XsocketN.Uid));
        internal static readonly int SoLastPid = Offset(typeof(XsocketN), nameof(XsocketN.LastPid));

        /// <summary>The shortest xsocket_n accepted: the 76 bytes every kernel since xnu-1699 writes (to so_e_pid).</summary>
        internal static readonly int SoMinimum = Offset(typeof(XsocketN), nameof(XsocketN.EffectivePid)) + 4;

        internal static readonly int SbByteCount = Offset(typeof(XsockbufN), nameof(XsockbufN.ByteCount));
        internal static readonly int SbMinimum = SbByteCount + 4;

        internal static readonly int TcpState = Offset(typeof(XtcpcbN), nameof(XtcpcbN.State));
        internal static readonly int TcpRetransmitShift = Offset(typeof(XtcpcbN), nameof(XtcpcbN.RetransmitShift));
        internal static readonly int TcpMinimum = TcpRetransmitShift + 4;

        private static int Offset(Type type, string field) => Marshal.OffsetOf(type, field).ToInt32();
    }
}
