using System.Runtime.CompilerServices;
using SockTools.Table;
using Xunit;

namespace SockTools.Tests;

/// <summary>The compact row: every value reads back as written, and a copy never changes its original.</summary>
public sealed class SocketRecordTests
{
    [Fact]
    public void ARowStays96BytesWide()
    {
        // Half a million of them wait for their owners in one list: each byte here is half a megabyte there.
        Assert.True(Unsafe.SizeOf<SocketRecord>() <= 96, $"SocketRecord is {Unsafe.SizeOf<SocketRecord>()} bytes");
    }

    [Fact]
    public void AddressesKeepTheirFamilyAndValue()
    {
        var v6 = new AddressValue(true, 0xFE80_0000_0000_0000, 1);
        var row = new SocketRecord { LocalAddress = v6, RemoteAddress = AddressValue.FromV4(0x7F00_0001) };
        Assert.Equal(v6, row.LocalAddress);
        Assert.True(row.IsV6);
        Assert.False(row.RemoteAddress.IsV6);
        Assert.Equal("127.0.0.1", row.RemoteAddress.ToString());

        row.LocalAddress = AddressValue.FromV4(0x0A00_0001);
        Assert.False(row.IsV6);
        Assert.Equal("10.0.0.1", row.LocalAddress.ToString());
    }

    [Fact]
    public void UnknownIsNotZero()
    {
        var row = new SocketRecord();
        Assert.Null(row.SendQueue);
        Assert.Null(row.V6Only);
        row.SendQueue = 0;
        row.V6Only = false;
        Assert.Equal(0u, row.SendQueue);
        Assert.False(row.V6Only);
        row.SendQueue = 4096;
        row.V6Only = true;
        Assert.Equal(4096u, row.SendQueue);
        Assert.True(row.V6Only);
        row.SendQueue = null;
        row.V6Only = null;
        Assert.Null(row.SendQueue);
        Assert.Null(row.V6Only);
    }

    [Fact]
    public void ACopyChangesOnlyItself()
    {
        var tcp = new TcpDetails();
        var original = new SocketRecord { ProcessId = 42, SocketHandle = 7, Tcp = tcp };
        SocketRecord copy = original;
        copy.ProcessId = 43;
        copy.Tcp = null;

        Assert.Equal(42, original.ProcessId);
        Assert.Same(tcp, original.Tcp);
        Assert.Equal(7ul, original.SocketHandle);
        Assert.Equal(43, copy.ProcessId);
        Assert.Null(copy.Tcp);
        Assert.Equal(7ul, copy.SocketHandle);
        Assert.Equal(0, new SocketRecord().ProcessId);
    }

    [Fact]
    public void RareValuesReadBackAndRetransmitsStopAtTheKernelsByte()
    {
        var row = new SocketRecord { InterfaceIndex = 3, Retransmits = 7, Unseen = UnseenFields.Queues | UnseenFields.Inode };
        Assert.Equal(3u, row.InterfaceIndex);
        Assert.Equal(7u, row.Retransmits);
        Assert.Equal(UnseenFields.Queues | UnseenFields.Inode, row.Unseen);
        row.Retransmits = 1000;
        Assert.Equal(255u, row.Retransmits);
        Assert.Equal(0u, new SocketRecord { InterfaceIndex = 0 }.InterfaceIndex);
    }
}
