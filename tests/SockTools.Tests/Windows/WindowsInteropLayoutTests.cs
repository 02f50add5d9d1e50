using System;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using SockTools.Interop.Windows;
using SockTools.Table.Windows;
using Xunit;

namespace SockTools.Tests.Windows;

/// <summary>
/// The Windows P/Invoke declarations and structs against the Windows SDK's documented layouts for 64-bit
/// processes: marshalled sizes, field offsets, constants, libraries and entry points. The parser reads at the
/// offsets these structs have, so this is what ties the parser to the documentation.
/// </summary>
public sealed class WindowsInteropLayoutTests
{
    [Theory]
    [InlineData(typeof(MibTcpRowOwnerPid), 24)]
    [InlineData(typeof(MibTcp6RowOwnerPid), 56)]
    [InlineData(typeof(MibUdpRowOwnerPid), 12)]
    [InlineData(typeof(MibUdp6RowOwnerPid), 28)]
    [InlineData(typeof(SidAndAttributes), 16)] // PSID (8) + DWORD (4) + padding to 8
    public void StructsHaveTheDocumentedSize(Type type, int size) => Assert.Equal(size, Marshal.SizeOf(type));

    [Theory]
    [InlineData(nameof(MibTcpRowOwnerPid.State), 0)]
    [InlineData(nameof(MibTcpRowOwnerPid.LocalAddr), 4)]
    [InlineData(nameof(MibTcpRowOwnerPid.LocalPort), 8)]
    [InlineData(nameof(MibTcpRowOwnerPid.RemoteAddr), 12)]
    [InlineData(nameof(MibTcpRowOwnerPid.RemotePort), 16)]
    [InlineData(nameof(MibTcpRowOwnerPid.OwningPid), 20)]
    public void MibTcpRowOwnerPidFieldsSitWhereTcpmibPutsThem(string field, int offset)
        => Assert.Equal(offset, Marshal.OffsetOf<MibTcpRowOwnerPid>(field).ToInt32());

    [Theory]
    [InlineData(nameof(MibTcp6RowOwnerPid.LocalAddr), 0)]
    [InlineData(nameof(MibTcp6RowOwnerPid.LocalScopeId), 16)]
    [InlineData(nameof(MibTcp6RowOwnerPid.LocalPort), 20)]
    [InlineData(nameof(MibTcp6RowOwnerPid.RemoteAddr), 24)]
    [InlineData(nameof(MibTcp6RowOwnerPid.RemoteScopeId), 40)]
    [InlineData(nameof(MibTcp6RowOwnerPid.RemotePort), 44)]
    [InlineData(nameof(MibTcp6RowOwnerPid.State), 48)]
    [InlineData(nameof(MibTcp6RowOwnerPid.OwningPid), 52)]
    public void MibTcp6RowOwnerPidFieldsSitWhereTcpmibPutsThem(string field, int offset)
        => Assert.Equal(offset, Marshal.OffsetOf<MibTcp6RowOwnerPid>(field).ToInt32());

    [Theory]
    [InlineData(typeof(MibUdpRowOwnerPid), nameof(MibUdpRowOwnerPid.LocalAddr), 0)]
    [InlineData(typeof(MibUdpRowOwnerPid), nameof(MibUdpRowOwnerPid.LocalPort), 4)]
    [InlineData(typeof(MibUdpRowOwnerPid), nameof(MibUdpRowOwnerPid.OwningPid), 8)]
    [InlineData(typeof(MibUdp6RowOwnerPid), nameof(MibUdp6RowOwnerPid.LocalAddr), 0)]
    [InlineData(typeof(MibUdp6RowOwnerPid), nameof(MibUdp6RowOwnerPid.LocalScopeId), 16)]
    [InlineData(typeof(MibUdp6RowOwnerPid), nameof(MibUdp6RowOwnerPid.LocalPort), 20)]
    [InlineData(typeof(MibUdp6RowOwnerPid), nameof(MibUdp6RowOwnerPid.OwningPid), 24)]
    [InlineData(typeof(SidAndAttributes), nameof(SidAndAttributes.Sid), 0)]
    [InlineData(typeof(SidAndAttributes), nameof(SidAndAttributes.Attributes), 8)]
    public void UdpRowAndTokenFieldsSitWhereTheSdkPutsThem(Type type, string field, int offset)
        => Assert.Equal(offset, Marshal.OffsetOf(type, field).ToInt32());

    [Theory]
    [InlineData(typeof(MibTcpTableOwnerPid))]
    [InlineData(typeof(MibTcp6TableOwnerPid))]
    [InlineData(typeof(MibUdpTableOwnerPid))]
    [InlineData(typeof(MibUdp6TableOwnerPid))]
    public void EveryTablesFirstRowFollowsItsDwordCountWithoutPadding(Type table)
    {
        Assert.Equal(0, Marshal.OffsetOf(table, "NumEntries").ToInt32());
        Assert.Equal(4, Marshal.OffsetOf(table, "FirstRow").ToInt32());
    }

    [Fact]
    public void TheParsersLayoutIsTheDocumentedOne()
    {
        Assert.Equal((4, 24, 0, 4, -1, 8, 12, 16, 20), Shape(IpHelperLayout.Tcp4));
        Assert.Equal((4, 56, 48, 0, 16, 20, 24, 44, 52), Shape(IpHelperLayout.Tcp6));
        Assert.Equal((4, 12, -1, 0, -1, 4, -1, -1, 8), Shape(IpHelperLayout.Udp4));
        Assert.Equal((4, 28, -1, 0, 16, 20, -1, -1, 24), Shape(IpHelperLayout.Udp6));

        static (int, int, int, int, int, int, int, int, int) Shape(IpHelperLayout l)
            => (l.FirstRow, l.RowSize, l.State, l.LocalAddress, l.LocalScope, l.LocalPort, l.RemoteAddress, l.RemotePort, l.OwningPid);
    }

    [Fact]
    public void ConstantsHaveTheirSdkValues()
    {
        Assert.Equal(2u, IpHelper.AF_INET);
        Assert.Equal(23u, IpHelper.AF_INET6); // ws2def.h: not Linux's 10
        Assert.Equal(5, IpHelper.TCP_TABLE_OWNER_PID_ALL);
        Assert.Equal(1, IpHelper.UDP_TABLE_OWNER_PID);
        Assert.Equal(0x1000u, ProcessToken.PROCESS_QUERY_LIMITED_INFORMATION);
        Assert.Equal(0x8u, ProcessToken.TOKEN_QUERY);
        Assert.Equal(1, ProcessToken.TokenUser);
        Assert.Equal(122, (int)Win32Error.ERROR_INSUFFICIENT_BUFFER);
        Assert.Equal(232, (int)Win32Error.ERROR_NO_DATA);
        Assert.Equal(5, (int)Win32Error.ERROR_ACCESS_DENIED);
        Assert.Equal(87, (int)Win32Error.ERROR_INVALID_PARAMETER);
    }

    [Theory]
    [InlineData(typeof(IpHelper), nameof(IpHelper.GetExtendedTcpTable), "iphlpapi.dll")]
    [InlineData(typeof(IpHelper), nameof(IpHelper.GetExtendedUdpTable), "iphlpapi.dll")]
    [InlineData(typeof(ProcessToken), nameof(ProcessToken.OpenProcess), "kernel32.dll")]
    [InlineData(typeof(ProcessToken), nameof(ProcessToken.CloseHandle), "kernel32.dll")]
    [InlineData(typeof(ProcessToken), nameof(ProcessToken.OpenProcessToken), "advapi32.dll")]
    [InlineData(typeof(ProcessToken), nameof(ProcessToken.GetTokenInformation), "advapi32.dll")]
    [InlineData(typeof(ProcessToken), nameof(ProcessToken.GetLengthSid), "advapi32.dll")]
    [InlineData(typeof(ProcessToken), nameof(ProcessToken.LookupAccountSidW), "advapi32.dll")]
    public void EachCallIsImportedByItsExactNameFromItsSystemLibrary(Type type, string method, string library)
    {
        MethodInfo info = type.GetMethod(method, BindingFlags.Static | BindingFlags.NonPublic)!;
        DllImportAttribute import = info.GetCustomAttribute<DllImportAttribute>()!;
        Assert.Equal(library, import.Value);
        Assert.True(import.ExactSpelling); // no A/W guessing: the W entry points are named
        Assert.Equal(method, import.EntryPoint ?? method);
    }

    [Fact]
    public void TheTableCallsTakeTheirSizeAsADwordByReferenceAndReturnTheError()
    {
        foreach (string name in new[] { nameof(IpHelper.GetExtendedTcpTable), nameof(IpHelper.GetExtendedUdpTable) })
        {
            MethodInfo info = typeof(IpHelper).GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)!;
            Assert.Equal(typeof(uint), info.ReturnType);
            ParameterInfo[] parameters = info.GetParameters();
            Assert.Equal(6, parameters.Length);
            Assert.Equal(typeof(int).MakeByRefType(), parameters[1].ParameterType);
            Assert.True(parameters.Skip(2).All(p => Marshal.SizeOf(p.ParameterType) == 4)); // BOOL, ULONG, enum, ULONG
        }
    }
}
