using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using SockTools.Interop.Windows;
using SockTools.Table;
using SockTools.Table.Windows;
using Xunit;

namespace SockTools.Tests.Windows;

/// <summary>
/// The ERROR_INSUFFICIENT_BUFFER loop around GetExtended*Table, fed by a fake that behaves as the documentation
/// says: too small a buffer gets the size needed now; a big enough one gets the table.
/// </summary>
public sealed class WindowsTableFetchTests
{
    /// <summary>A table that may grow between calls: each call sees the next table in the list (the last one stays).</summary>
    private sealed class GrowingTable
    {
        private readonly byte[][] _tables;

        internal GrowingTable(params byte[][] tables) => _tables = tables;

        internal int Calls { get; private set; }

        internal List<int> BufferSizes { get; } = new();

        internal uint Call(byte[] buffer, ref int size)
        {
            byte[] table = _tables[Math.Min(Calls, _tables.Length - 1)];
            Calls++;
            BufferSizes.Add(buffer.Length);
            Assert.Equal(buffer.Length, size); // the size going in is the buffer's
            if (size < table.Length)
            {
                size = table.Length;
                return (uint)Win32Error.ERROR_INSUFFICIENT_BUFFER;
            }

            table.CopyTo(buffer, 0);
            return 0;
        }
    }

    private static MibRow[] Rows(int count) => Enumerable.Range(1, count).Select(i => new MibRow { LocalPort = (ushort)i, OwningPid = (uint)(100 + i) }).ToArray();

    private static List<SocketRecord> ParseTcp4(byte[] buffer, int length)
    {
        var rows = new List<SocketRecord>();
        IpHelperTableParser.Parse(buffer, length, IpHelperLayout.Tcp4, null, rows);
        return rows;
    }

    [Fact]
    public void AsksForTheSizeThenReadsTheTable()
    {
        var fake = new GrowingTable(IpHelperFixtureBuilder.Tcp4(Rows(2)));

        byte[]? buffer = IpHelperFetch.Read("GetExtendedTcpTable", fake.Call, out int length);

        Assert.NotNull(buffer);
        Assert.Equal(2, fake.Calls);
        Assert.Equal(0, fake.BufferSizes[0]); // the size question: no buffer at all
        Assert.Equal(new[] { 1, 2 }, ParseTcp4(buffer!, length).Select(r => (int)r.LocalPort));
    }

    [Fact]
    public void ATableThatGrewBetweenTheSizeAnswerAndTheReadIsReadAgainWithTheNewSize()
    {
        // 2 rows when asked for the size; 60 rows (far beyond the room left for growth) when read; then it holds still.
        var fake = new GrowingTable(IpHelperFixtureBuilder.Tcp4(Rows(2)), IpHelperFixtureBuilder.Tcp4(Rows(60)));

        byte[]? buffer = IpHelperFetch.Read("GetExtendedTcpTable", fake.Call, out int length);

        Assert.Equal(3, fake.Calls);
        Assert.True(fake.BufferSizes[2] >= 4 + (60 * 24));
        Assert.Equal(60, ParseTcp4(buffer!, length).Count);
    }

    [Fact]
    public void ASocketOpenedMeanwhileFitsTheRoomLeftForGrowthWithoutAnotherCall()
    {
        var fake = new GrowingTable(IpHelperFixtureBuilder.Tcp4(Rows(40)), IpHelperFixtureBuilder.Tcp4(Rows(41)));

        byte[]? buffer = IpHelperFetch.Read("GetExtendedTcpTable", fake.Call, out int length);

        Assert.Equal(2, fake.Calls);
        Assert.Equal(41, ParseTcp4(buffer!, length).Count);
    }

    [Fact]
    public void ATableThatNeverStopsGrowingEndsInAnIOErrorAfterAFewTries()
    {
        int rows = 1;
        int calls = 0;
        uint Call(byte[] buffer, ref int size)
        {
            calls++;
            rows *= 4;
            size = 4 + (rows * 24);
            return (uint)Win32Error.ERROR_INSUFFICIENT_BUFFER;
        }

        var e = Assert.Throws<IOException>(() => IpHelperFetch.Read("GetExtendedTcpTable", Call, out _));

        Assert.Contains("kept growing", e.Message);
        Assert.Equal(GrowingBuffer.MaxTries, calls);
    }

    [Fact]
    public void NoInterfaceOfTheFamilyIsAnEmptyTableNotAnError()
    {
        uint Call(byte[] buffer, ref int size) => (uint)Win32Error.ERROR_NO_DATA;

        Assert.Null(IpHelperFetch.Read("GetExtendedTcpTable", Call, out _));
    }

    [Theory]
    [InlineData(87, "ERROR_INVALID_PARAMETER")]
    [InlineData(50, "ERROR_NOT_SUPPORTED")]
    [InlineData(5, "ERROR_ACCESS_DENIED")]
    public void AnyOtherErrorIsAWindowsCallExceptionNamingTheCallAndTheError(int code, string name)
    {
        var error = (Win32Error)code;
        uint Call(byte[] buffer, ref int size) => (uint)error;

        var e = Assert.Throws<WindowsCallException>(() => IpHelperFetch.Read("GetExtendedUdpTable", Call, out _));

        Assert.Equal((int)error, e.Error);
        Assert.StartsWith($"GetExtendedUdpTable failed: {name} ({code})", e.Message);
        Assert.True(SocketTableException.IsReaderFailure(e));
    }

    [Fact]
    public void AccessDeniedMakesAPermissionDeniedError()
    {
        var failure = SocketTableException.ReadFailed(new WindowsCallException("GetExtendedTcpTable", (int)Win32Error.ERROR_ACCESS_DENIED), "advice");

        Assert.Equal(System.Management.Automation.ErrorCategory.PermissionDenied, failure.Category);
        Assert.Equal("advice", failure.RecommendedAction);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void AnImpossibleSizeIsAFormatError(int needed)
    {
        uint Call(byte[] buffer, ref int size)
        {
            size = needed;
            return (uint)Win32Error.ERROR_INSUFFICIENT_BUFFER;
        }

        Assert.Throws<SocketTableFormatException>(() => IpHelperFetch.Read("GetExtendedTcpTable", Call, out _));
    }

    [Fact]
    public void AnAnswerOfTooSmallWithoutALargerSizeStillGrowsTheBuffer()
    {
        // Not documented, and must not loop on the same size: the buffer doubles instead.
        byte[] table = IpHelperFixtureBuilder.Tcp4(Rows(1));
        var sizes = new List<int>();
        uint Call(byte[] buffer, ref int size)
        {
            sizes.Add(buffer.Length);
            if (buffer.Length < 600)
            {
                size = table.Length; // says "this much", already less than the buffer after the first call
                return (uint)Win32Error.ERROR_INSUFFICIENT_BUFFER;
            }

            table.CopyTo(buffer, 0);
            return 0;
        }

        byte[]? buffer = IpHelperFetch.Read("GetExtendedTcpTable", Call, out int length);

        Assert.Single(ParseTcp4(buffer!, length));
        Assert.True(sizes.Zip(sizes.Skip(1)).All(pair => pair.Second > pair.First));
    }

    [Fact]
    public void ReadsRowsOfARealLookingMixedTable()
    {
        byte[] table = IpHelperFixtureBuilder.Tcp4(
            new MibRow { State = 2, LocalAddress = IPAddress.Any, LocalPort = 135, OwningPid = 1040 },
            new MibRow { State = 11, LocalAddress = IPAddress.Loopback, LocalPort = 49830, RemoteAddress = IPAddress.Loopback, RemotePort = 8000, OwningPid = 0 });
        var fake = new GrowingTable(table);

        byte[]? buffer = IpHelperFetch.Read("GetExtendedTcpTable", fake.Call, out int length);

        Assert.Equal(new[] { SocketState.Listen, SocketState.TimeWait }, ParseTcp4(buffer!, length).Select(r => r.State));
    }
}
