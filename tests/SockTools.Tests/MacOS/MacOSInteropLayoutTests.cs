using System;
using System.Reflection;
using System.Runtime.InteropServices;
using SockTools.Interop.MacOS;
using SockTools.Table.MacOS;
using Xunit;

namespace SockTools.Tests.MacOS;

/// <summary>
/// The macOS structs against xnu's declarations for 64-bit processes (pcblist_n records under #pragma pack(4),
/// proc_info.h naturally aligned): marshalled sizes, field offsets, constants, library. The parsers read at the
/// offsets these structs have, so this is what ties them to the headers.
/// </summary>
public sealed class MacOSInteropLayoutTests
{
    [Theory]
    [InlineData(typeof(XinpGen), 24)]
    [InlineData(typeof(XRecordHead), 8)]
    [InlineData(typeof(XinpcbN), 104)]
    [InlineData(typeof(XinpcbDepend6), 12)]
    [InlineData(typeof(XsocketN), 104)]
    [InlineData(typeof(XsockbufN), 32)]
    [InlineData(typeof(XtcpcbN), 204)]
    [InlineData(typeof(ProcFdInfo), 8)]
    [InlineData(typeof(ProcBsdShortInfo), 64)]
    [InlineData(typeof(ProcFileInfo), 24)]
    [InlineData(typeof(VinfoStat), 136)]
    [InlineData(typeof(SockbufInfo), 24)]
    [InlineData(typeof(SocketInfo), 768)]
    [InlineData(typeof(SocketFdInfo), 792)]
    [InlineData(typeof(MacPasswd), 72)]
    public void StructsHaveTheDocumentedSize(Type type, int size) => Assert.Equal(size, Marshal.SizeOf(type));

    [Theory]
    [InlineData(typeof(XinpGen), nameof(XinpGen.Count), 4)]
    [InlineData(typeof(XinpGen), nameof(XinpGen.Generation), 8)]
    [InlineData(typeof(XinpGen), nameof(XinpGen.SocketGeneration), 16)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.Kind), 4)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.InpcbHandle), 8)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.ForeignPort), 16)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.LocalPort), 18)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.ProtocolPcb), 20)]   // a u64 on 4 bytes: pack(4)
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.Generation), 28)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.Flags), 36)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.Flow), 40)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.VersionFlags), 44)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.IpProtocol), 46)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.ForeignAddress), 48)] // the union of 32-bit words aligns to 4
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.LocalAddress), 64)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.Ipv4Tos), 80)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.Ipv6), 84)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.FlowHash), 96)]
    [InlineData(typeof(XinpcbN), nameof(XinpcbN.Flags2), 100)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.SocketHandle), 8)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.Type), 16)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.Options), 20)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.Linger), 24)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.State), 26)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.Pcb), 28)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.Protocol), 36)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.Family), 40)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.QueueLength), 44)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.QueueLimit), 48)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.Error), 52)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.ProcessGroup), 56)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.Uid), 64)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.LastPid), 68)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.EffectivePid), 72)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.Generation), 76)]
    [InlineData(typeof(XsocketN), nameof(XsocketN.FilterFlags), 100)]
    [InlineData(typeof(XsockbufN), nameof(XsockbufN.ByteCount), 8)]
    [InlineData(typeof(XsockbufN), nameof(XsockbufN.Timeout), 30)]
    [InlineData(typeof(XtcpcbN), nameof(XtcpcbN.SegmentQueue), 8)]
    [InlineData(typeof(XtcpcbN), nameof(XtcpcbN.Timers), 20)]
    [InlineData(typeof(XtcpcbN), nameof(XtcpcbN.State), 36)]
    [InlineData(typeof(XtcpcbN), nameof(XtcpcbN.RetransmitShift), 144)]
    [InlineData(typeof(XtcpcbN), nameof(XtcpcbN.SoftError), 160)]
    [InlineData(typeof(XtcpcbN), nameof(XtcpcbN.TimestampRecent), 172)]
    public void PcbListRecordFieldsSitWhereXnuPutsThem(Type type, string field, int offset)
        => Assert.Equal(offset, Marshal.OffsetOf(type, field).ToInt32());

    [Theory]
    [InlineData(typeof(ProcFdInfo), nameof(ProcFdInfo.FdType), 4)]
    [InlineData(typeof(ProcBsdShortInfo), nameof(ProcBsdShortInfo.Command), 16)]
    [InlineData(typeof(ProcBsdShortInfo), nameof(ProcBsdShortInfo.Flags), 32)]
    [InlineData(typeof(VinfoStat), nameof(VinfoStat.Inode), 8)]
    [InlineData(typeof(VinfoStat), nameof(VinfoStat.Size), 88)]
    [InlineData(typeof(VinfoStat), nameof(VinfoStat.Spare), 120)]
    [InlineData(typeof(SocketInfo), nameof(SocketInfo.SocketHandle), 136)]
    [InlineData(typeof(SocketInfo), nameof(SocketInfo.Pcb), 144)]
    [InlineData(typeof(SocketInfo), nameof(SocketInfo.Family), 160)]
    [InlineData(typeof(SocketInfo), nameof(SocketInfo.OobMark), 180)]
    [InlineData(typeof(SocketInfo), nameof(SocketInfo.Receive), 184)]
    [InlineData(typeof(SocketInfo), nameof(SocketInfo.Send), 208)]
    [InlineData(typeof(SocketInfo), nameof(SocketInfo.Kind), 232)]
    [InlineData(typeof(SocketInfo), nameof(SocketInfo.Proto), 240)]
    [InlineData(typeof(SocketFdInfo), nameof(SocketFdInfo.Socket), 24)]
    [InlineData(typeof(MacPasswd), nameof(MacPasswd.Name), 0)]
    [InlineData(typeof(MacPasswd), nameof(MacPasswd.Change), 24)]
    [InlineData(typeof(MacPasswd), nameof(MacPasswd.Expire), 64)]
    public void ProcInfoAndPasswdFieldsSitWhereTheHeadersPutThem(Type type, string field, int offset)
        => Assert.Equal(offset, Marshal.OffsetOf(type, field).ToInt32());

    [Fact]
    public void TheParsersOffsetsAreTheDocumentedOnes()
    {
        Assert.Equal(24, PcbListLayout.GenSize);
        Assert.Equal(8, PcbListLayout.GenGeneration);
        Assert.Equal((16, 18, 44, 48, 64, 80), (PcbListLayout.InpForeignPort, PcbListLayout.InpLocalPort, PcbListLayout.InpVersionFlags, PcbListLayout.InpForeignAddress, PcbListLayout.InpLocalAddress, PcbListLayout.InpMinimum));
        Assert.Equal((8, 26, 44, 48, 64, 68, 76), (PcbListLayout.SoHandle, PcbListLayout.SoState, PcbListLayout.SoQueueLength, PcbListLayout.SoQueueLimit, PcbListLayout.SoUid, PcbListLayout.SoLastPid, PcbListLayout.SoMinimum));
        Assert.Equal((8, 12), (PcbListLayout.SbByteCount, PcbListLayout.SbMinimum));
        Assert.Equal((36, 144, 148), (PcbListLayout.TcpState, PcbListLayout.TcpRetransmitShift, PcbListLayout.TcpMinimum));
        Assert.Equal((8, 4, 792, 160, 64, 16), (ProcInfoParser.FdInfoSize, ProcInfoParser.FdInfoType, ProcInfoParser.SocketFdInfoSize, ProcInfoParser.SocketFdInfoHandle, ProcInfoParser.ShortInfoSize, ProcInfoParser.ShortInfoCommand));
    }

    [Fact]
    public void ConstantsHaveTheirHeaderValues()
    {
        Assert.Equal((0x1u, 0x2u, 0x4u, 0x8u, 0x10u, 0x20u), (PcbListLayout.XSO_SOCKET, PcbListLayout.XSO_RCVBUF, PcbListLayout.XSO_SNDBUF, PcbListLayout.XSO_STATS, PcbListLayout.XSO_INPCB, PcbListLayout.XSO_TCPCB));
        Assert.Equal(((byte)1, (byte)2), (PcbListLayout.INP_IPV4, PcbListLayout.INP_IPV6));
        Assert.Equal((ushort)1, PcbListLayout.SS_NOFDREF);
        Assert.Equal(1u, LibSystem.PROC_ALL_PIDS);
        Assert.Equal(1, LibSystem.PROC_PIDLISTFDS);
        Assert.Equal(3, LibSystem.PROC_PIDFDSOCKETINFO);
        Assert.Equal(13, LibSystem.PROC_PIDT_SHORTBSDINFO);
        Assert.Equal(2u, LibSystem.PROX_FDTYPE_SOCKET);
        Assert.Equal((1, 12, 13, 34, 45), ((int)MacErrno.EPERM, (int)MacErrno.ENOMEM, (int)MacErrno.EACCES, (int)MacErrno.ERANGE, (int)MacErrno.ENOTSUP));
    }

    [Theory]
    [InlineData(nameof(LibSystem.sysctlbyname))]
    [InlineData(nameof(LibSystem.proc_listpids))]
    [InlineData(nameof(LibSystem.proc_pidinfo))]
    [InlineData(nameof(LibSystem.proc_pidfdinfo))]
    [InlineData(nameof(LibSystem.getpwuid_r))]
    public void EachCallComesFromLibSystemByItsFullPath(string method)
    {
        MethodInfo info = typeof(LibSystem).GetMethod(method, BindingFlags.Static | BindingFlags.NonPublic)!;
        DllImportAttribute import = info.GetCustomAttribute<DllImportAttribute>()!;
        Assert.Equal("/usr/lib/libSystem.dylib", import.Value);
        Assert.Equal(method, import.EntryPoint ?? method);
    }

    [Fact]
    public void SizeTParametersAreNativeSized()
    {
        ParameterInfo[] sysctl = typeof(LibSystem).GetMethod(nameof(LibSystem.sysctlbyname), BindingFlags.Static | BindingFlags.NonPublic)!.GetParameters();
        Assert.Equal(typeof(UIntPtr).MakeByRefType(), sysctl[2].ParameterType); // size_t *oldlenp
        Assert.Equal(typeof(UIntPtr), sysctl[4].ParameterType);                  // size_t newlen
        ParameterInfo[] pidinfo = typeof(LibSystem).GetMethod(nameof(LibSystem.proc_pidinfo), BindingFlags.Static | BindingFlags.NonPublic)!.GetParameters();
        Assert.Equal(typeof(ulong), pidinfo[2].ParameterType);                   // uint64_t arg
    }
}
