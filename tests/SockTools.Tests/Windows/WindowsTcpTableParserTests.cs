using System;
using System.Collections.Generic;
using System.Net;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.Windows;
using Xunit;

namespace SockTools.Tests.Windows;

/// <summary>IpHelperTableParser on TCP tables built from the documented MIB_TCP(6)ROW_OWNER_PID layouts.</summary>
public sealed class WindowsTcpTableParserTests
{
    private static List<SocketRecord> Parse(byte[] table, IpHelperLayout layout, SocketQuery? query = null, int? length = null)
    {
        var rows = new List<SocketRecord>();
        IpHelperTableParser.Parse(table, length ?? table.Length, layout, query, rows);
        return rows;
    }

    [Fact]
    public void AnIpv4RowCarriesItsAddressesPortsStateAndProcess()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp4(new MibRow
        {
            State = 5,
            LocalAddress = IPAddress.Parse("192.168.17.5"),
            LocalPort = 8080,   // 1F 90 on the wire
            RemoteAddress = IPAddress.Parse("10.200.3.44"),
            RemotePort = 50010, // C3 5A
            OwningPid = 4812,
        });

        SocketRecord row = Assert.Single(Parse(table, IpHelperLayout.Tcp4));

        Assert.Equal(SocketProtocol.Tcp, row.Protocol);
        Assert.False(row.IsV6);
        Assert.Equal(SocketState.Established, row.State);
        Assert.Equal("192.168.17.5", row.LocalAddress.ToString());
        Assert.Equal(8080, row.LocalPort);
        Assert.Equal("10.200.3.44", row.RemoteAddress.ToString());
        Assert.Equal(50010, row.RemotePort);
        Assert.Equal(4812, row.ProcessId);
        Assert.Equal(0u, row.InterfaceIndex);
        Assert.Equal(0UL, row.Inode);
        Assert.Equal(0UL, row.Cookie);
    }

    [Fact]
    public void WhatWindowsDoesNotReportIsMarkedUnseenNotZero()
    {
        SocketRecord row = Assert.Single(Parse(IpHelperFixtureBuilder.Tcp4(new MibRow { LocalPort = 1 }), IpHelperLayout.Tcp4));

        Assert.Equal(UnseenFields.Queues | UnseenFields.Timer | UnseenFields.Retransmits | UnseenFields.UserId | UnseenFields.Inode, row.Unseen);
    }

    [Fact]
    public void APortIsTheLow16BitsOfItsDwordInNetworkOrderWhateverTheUpperBitsHold()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp4(new MibRow { LocalPort = 443, RemotePort = 0xC35A, PortGarbage = 0xBEEF });

        SocketRecord row = Assert.Single(Parse(table, IpHelperLayout.Tcp4));

        Assert.Equal(443, row.LocalPort);
        Assert.Equal(0xC35A, row.RemotePort);
    }

    [Theory]
    [InlineData(1u, SocketState.Bound)]        // CLOSED: neither listening nor connected
    [InlineData(2u, SocketState.Listen)]
    [InlineData(3u, SocketState.SynSent)]
    [InlineData(4u, SocketState.SynReceived)]
    [InlineData(5u, SocketState.Established)]
    [InlineData(6u, SocketState.FinWait1)]
    [InlineData(7u, SocketState.FinWait2)]
    [InlineData(8u, SocketState.CloseWait)]
    [InlineData(9u, SocketState.Closing)]
    [InlineData(10u, SocketState.LastAck)]
    [InlineData(11u, SocketState.TimeWait)]
    [InlineData(12u, SocketState.Bound)]       // DELETE_TCB: the connection's state is being thrown away
    public void EveryMibTcpStateHasItsSocketState(uint mibState, SocketState expected)
    {
        byte[] table = IpHelperFixtureBuilder.Tcp4(new MibRow { State = mibState, RemoteAddress = IPAddress.Parse("10.0.0.9"), RemotePort = 80 });

        Assert.Equal(expected, Assert.Single(Parse(table, IpHelperLayout.Tcp4)).State);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(13u)]
    [InlineData(100u)] // Get-NetTCPConnection's own "Bound" number: never in this table
    public void AStateMibTcpStateDoesNotDefineIsAFormatError(uint mibState)
    {
        byte[] table = IpHelperFixtureBuilder.Tcp4(new MibRow { State = mibState });

        var e = Assert.Throws<SocketTableFormatException>(() => Parse(table, IpHelperLayout.Tcp4));
        Assert.Contains($"unknown TCP state {mibState}", e.Message);
    }

    [Fact]
    public void AListenersRemoteFieldsMeanNothingSoItHasNoPeer()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp4(new MibRow
        {
            State = 2,
            LocalAddress = IPAddress.Any,
            LocalPort = 445,
            RemoteAddress = IPAddress.Parse("203.0.113.77"),
            RemotePort = 4321,
        });

        SocketRecord row = Assert.Single(Parse(table, IpHelperLayout.Tcp4));

        Assert.Equal(SocketState.Listen, row.State);
        Assert.True(row.RemoteAddress.IsAny);
        Assert.Equal(0, row.RemotePort);
        Assert.Equal(Exposure.AllInterfaces, row.LocalAddress.Exposure);
    }

    [Fact]
    public void RowsFollowTheCountAtOffsetFourOneAfterAnother()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp4(
            new MibRow { LocalPort = 1, OwningPid = 10 },
            new MibRow { LocalPort = 2, OwningPid = 20 },
            new MibRow { LocalPort = 3, OwningPid = 30 });

        List<SocketRecord> rows = Parse(table, IpHelperLayout.Tcp4);

        Assert.Equal(new[] { 1, 2, 3 }, rows.ConvertAll(r => (int)r.LocalPort));
        Assert.Equal(new[] { 10, 20, 30 }, rows.ConvertAll(r => r.ProcessId));
    }

    [Fact]
    public void AnIpv6RowReadsItsScopeIdAsTheInterfaceOfALinkLocalAddress()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp6(new MibRow
        {
            State = 5,
            LocalAddress = IPAddress.Parse("fe80::a00:27ff:fe4e:66a1"),
            LocalScopeId = 7,
            LocalPort = 5985,
            RemoteAddress = IPAddress.Parse("fe80::1"),
            RemoteScopeId = 7,
            RemotePort = 61000,
            OwningPid = 4,
        });

        SocketRecord row = Assert.Single(Parse(table, IpHelperLayout.Tcp6));

        Assert.True(row.IsV6);
        Assert.Equal("fe80::a00:27ff:fe4e:66a1", row.LocalAddress.ToString()); // the scope is not part of the address
        Assert.Equal(7u, row.InterfaceIndex);
        Assert.Equal(5985, row.LocalPort);
        Assert.Equal("fe80::1", row.RemoteAddress.ToString());
        Assert.Equal(61000, row.RemotePort);
        Assert.Equal(SocketState.Established, row.State);
        Assert.Equal(4, row.ProcessId);
    }

    [Fact]
    public void AnIpv6RowsStateAndPidComeAfterBothAddressesAndScopes()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp6(
            new MibRow { State = 11, LocalAddress = IPAddress.Parse("2001:db8::5"), LocalPort = 443, RemoteAddress = IPAddress.Parse("2001:db8::9"), RemotePort = 50000, OwningPid = 0 },
            new MibRow { State = 2, LocalAddress = IPAddress.IPv6Any, LocalPort = 135, OwningPid = 912 });

        List<SocketRecord> rows = Parse(table, IpHelperLayout.Tcp6);

        Assert.Equal(SocketState.TimeWait, rows[0].State);
        Assert.Equal(0, rows[0].ProcessId); // TIME_WAIT belongs to the System Idle Process: nobody
        Assert.Equal(0u, rows[0].InterfaceIndex);
        Assert.Equal(SocketState.Listen, rows[1].State);
        Assert.Equal(912, rows[1].ProcessId);
        Assert.Equal(Exposure.AllInterfaces, rows[1].LocalAddress.Exposure);
    }

    [Fact]
    public void ADualStackSocketsIpv4PeerKeepsItsMappedFormAndItsExposure()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp6(new MibRow
        {
            LocalAddress = IPAddress.Parse("::ffff:127.0.0.1"),
            LocalPort = 8000,
            RemoteAddress = IPAddress.Parse("::ffff:127.0.0.1"),
            RemotePort = 59422,
        });

        SocketRecord row = Assert.Single(Parse(table, IpHelperLayout.Tcp6));

        Assert.Equal("::ffff:127.0.0.1", row.LocalAddress.ToString());
        Assert.Equal(Exposure.Loopback, row.LocalAddress.Exposure);
    }

    [Fact]
    public void AnEmptyTableHasNoRows()
    {
        Assert.Empty(Parse(IpHelperFixtureBuilder.Tcp4(), IpHelperLayout.Tcp4));
        Assert.Empty(Parse(IpHelperFixtureBuilder.Tcp6(), IpHelperLayout.Tcp6));
    }

    [Fact]
    public void TheBufferBeyondTheCountedRowsIsNotRead()
    {
        // The buffer is allocated with room to grow; only dwNumEntries rows are the table.
        byte[] table = IpHelperFixtureBuilder.WithSlack(IpHelperFixtureBuilder.Tcp4(new MibRow { LocalPort = 22 }), 3 * IpHelperFixtureBuilder.Tcp4RowSize);

        Assert.Equal(22, Assert.Single(Parse(table, IpHelperLayout.Tcp4)).LocalPort);
    }

    [Theory]
    [InlineData(3u)]
    [InlineData(0xFFFF_FFFFu)] // a count whose byte size overflows 32 bits
    public void ACountLargerThanTheBytesWrittenIsAFormatError(uint count)
    {
        byte[] table = IpHelperFixtureBuilder.WithCount(IpHelperFixtureBuilder.Tcp4(new MibRow(), new MibRow()), count);

        var e = Assert.Throws<SocketTableFormatException>(() => Parse(table, IpHelperLayout.Tcp4));
        Assert.Contains($"claims {count} rows", e.Message);
    }

    [Fact]
    public void ARowCutShortIsAFormatErrorNotAnOutOfRangeRead()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp6(new MibRow(), new MibRow());

        for (int length = 0; length < table.Length; length++)
        {
            Assert.Throws<SocketTableFormatException>(() => Parse(table, IpHelperLayout.Tcp6, length: length));
        }
    }

    [Fact]
    public void ALengthOutsideTheBufferIsAFormatError()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp4(new MibRow());

        Assert.Throws<SocketTableFormatException>(() => Parse(table, IpHelperLayout.Tcp4, length: table.Length + 1));
        Assert.Throws<SocketTableFormatException>(() => Parse(table, IpHelperLayout.Tcp4, length: -1));
    }

    [Fact]
    public void AnImpossibleProcessIdIsAFormatError()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp4(new MibRow { OwningPid = 0x8000_0000 });

        Assert.Throws<SocketTableFormatException>(() => Parse(table, IpHelperLayout.Tcp4));
    }

    [Fact]
    public void TheQueryFiltersRowsAsTheyAreRead()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp4(
            new MibRow { State = 2, LocalPort = 80 },
            new MibRow { State = 5, LocalPort = 80, RemotePort = 50000, RemoteAddress = IPAddress.Loopback },
            new MibRow { State = 2, LocalPort = 443 });
        var query = new SocketQuery { States = new[] { SocketState.Listen }, LocalPorts = new PortSet(new[] { 80 }) };

        SocketRecord row = Assert.Single(Parse(table, IpHelperLayout.Tcp4, query));

        Assert.Equal(SocketState.Listen, row.State);
        Assert.Equal(80, row.LocalPort);
    }

    [Fact]
    public void RandomBytesNeverReadOutOfRange()
    {
        var random = new Random(15);
        for (int i = 0; i < 2000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            foreach (IpHelperLayout layout in IpHelperLayout.All)
            {
                try
                {
                    Parse(bytes, layout);
                }
                catch (SocketTableFormatException)
                {
                }
            }
        }
    }
}
