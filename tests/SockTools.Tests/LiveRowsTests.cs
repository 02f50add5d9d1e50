using System;
using System.Linq;
using System.Net;
using SockTools.Live;
using SockTools.Table;
using Xunit;

namespace SockTools.Tests;

/// <summary>What Show-SockConnection's rows show after each look: marks for new, changed and closed sockets, and when they fade.</summary>
public class LiveRowsTests
{
    private static readonly DateTime Start = new(2026, 12, 2, 6, 0, 0);
    private static readonly TimeSpan MarkFor = TimeSpan.FromSeconds(3);

    private static SocketEntry Entry(SocketState state, ushort localPort, ushort remotePort, ulong inode)
    {
        var row = new SocketRecord
        {
            Protocol = SocketProtocol.Tcp,
            State = state,
            LocalAddress = AddressValue.FromIPAddress(IPAddress.Loopback),
            LocalPort = localPort,
            RemoteAddress = AddressValue.FromIPAddress(remotePort == 0 ? IPAddress.Any : IPAddress.Loopback),
            RemotePort = remotePort,
            Inode = inode,
        };
        return SocketEntry.Of(in row, "127.0.0.1", remotePort == 0 ? "0.0.0.0" : "127.0.0.1", EntryOwner.None, null);
    }

    private static SocketChange Change(ChangeType type, SocketEntry entry, SocketState? before = null)
        => new(Start, type, before, type == ChangeType.Closed ? null : entry.State, entry);

    private static LiveMark MarkOf(LiveRows rows, int localPort) => rows.Snapshot().Single(r => r.Entry.LocalPort == localPort).Mark;

    [Fact]
    public void WhatExistsAtTheStartIsNotNewsAndWhatOpensLaterIsNewUntilItsMarkFades()
    {
        var rows = new LiveRows(MarkFor);
        rows.Start(new[] { Change(ChangeType.Opened, Entry(SocketState.Listen, 8000, 0, 1)) }, Start);
        Assert.Equal(LiveMark.None, MarkOf(rows, 8000));

        rows.Apply(new[] { Change(ChangeType.Opened, Entry(SocketState.Established, 40000, 8000, 2)) }, Start.AddSeconds(1));
        Assert.Equal(LiveMark.New, MarkOf(rows, 40000));

        rows.Apply(Array.Empty<SocketChange>(), Start.AddSeconds(3.9));
        Assert.Equal(LiveMark.New, MarkOf(rows, 40000));
        rows.Apply(Array.Empty<SocketChange>(), Start.AddSeconds(4));
        Assert.Equal(LiveMark.None, MarkOf(rows, 40000));
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public void AStateChangeIsMarkedWithThePreviousStateAndTheNewEntry()
    {
        var rows = new LiveRows(MarkFor);
        SocketEntry open = Entry(SocketState.Established, 8000, 40000, 2);
        rows.Start(new[] { Change(ChangeType.Opened, open) }, Start);
        SocketEntry waiting = Entry(SocketState.CloseWait, 8000, 40000, 2);
        rows.Apply(new[] { Change(ChangeType.Changed, waiting, SocketState.Established) }, Start.AddSeconds(1));

        LiveRow row = rows.Snapshot().Single();
        Assert.Equal(LiveMark.Changed, row.Mark);
        Assert.Equal(SocketState.Established, row.PreviousState);
        Assert.Same(waiting, row.Entry);
    }

    [Fact]
    public void ANewRowThatChangesStateStaysNew()
    {
        var rows = new LiveRows(MarkFor);
        rows.Start(Array.Empty<SocketChange>(), Start);
        rows.Apply(new[] { Change(ChangeType.Opened, Entry(SocketState.SynSent, 40000, 8000, 2)) }, Start.AddSeconds(1));
        rows.Apply(new[] { Change(ChangeType.Changed, Entry(SocketState.Established, 40000, 8000, 2), SocketState.SynSent) }, Start.AddSeconds(2));
        Assert.Equal(LiveMark.New, MarkOf(rows, 40000));
    }

    [Fact]
    public void AClosedRowStaysMarkedClosedForAWhileThenGoes()
    {
        var rows = new LiveRows(MarkFor);
        SocketEntry open = Entry(SocketState.Established, 40000, 8000, 2);
        rows.Start(new[] { Change(ChangeType.Opened, open) }, Start);
        rows.Apply(new[] { Change(ChangeType.Closed, open) }, Start.AddSeconds(1));
        Assert.Equal(LiveMark.Closed, MarkOf(rows, 40000));

        rows.Apply(Array.Empty<SocketChange>(), Start.AddSeconds(3.5));
        Assert.Equal(LiveMark.Closed, MarkOf(rows, 40000));
        rows.Apply(Array.Empty<SocketChange>(), Start.AddSeconds(4));
        Assert.Equal(0, rows.Count);
    }

    [Fact]
    public void AClosedSocketNoLookSawIsNotShown()
    {
        var rows = new LiveRows(MarkFor);
        rows.Start(Array.Empty<SocketChange>(), Start);
        rows.Apply(new[] { Change(ChangeType.Closed, Entry(SocketState.Established, 40000, 8000, 2)) }, Start.AddSeconds(1));
        Assert.Equal(0, rows.Count);
    }

    [Fact]
    public void AConnectionReopenedOnTheSameFourTupleIsOneRowMarkedNew()
    {
        var rows = new LiveRows(MarkFor);
        SocketEntry first = Entry(SocketState.Established, 40000, 8000, 2);
        rows.Start(new[] { Change(ChangeType.Opened, first) }, Start);
        rows.Apply(new[] { Change(ChangeType.Closed, first), Change(ChangeType.Opened, Entry(SocketState.Established, 40000, 8000, 3)) }, Start.AddSeconds(1));
        // A connection is its 4-tuple (SocketKey, as for Watch-SockState): the new one takes the row, as news.
        LiveRow row = rows.Snapshot().Single();
        Assert.Equal(LiveMark.New, row.Mark);
        Assert.Equal(3, row.Entry.Inode);
    }
}
