using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using SockTools.Query;
using SockTools.Table;
using Xunit;

namespace SockTools.Tests;

/// <summary>The row list a whole-table read borrows: lent again while fresh, let go after a while, never shared by two reads.</summary>
public sealed class RowListPoolTests
{
    [Fact]
    public void AListGivenBackIsLentAgainEmpty()
    {
        var pool = new RowListPool(60_000);
        List<SocketRecord> first = pool.Rent();
        first.Add(new SocketRecord { LocalPort = 80, Unix = new UnixSocketDetails(UnixSocketType.Stream, "/run/x", 0) });
        pool.Return(first);

        Assert.Empty(first); // the rows go, and with them the details they held
        Assert.True(pool.HasSpare);
        Assert.Same(first, pool.Rent());
        Assert.False(pool.HasSpare);
        Assert.NotSame(first, pool.Rent()); // lent out: the next read makes its own
    }

    [Fact]
    public void AListNobodyAsksForIsLetGo()
    {
        var pool = new RowListPool(50);
        pool.Return(new List<SocketRecord>(1000));
        Assert.True(pool.HasSpare);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (pool.HasSpare && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        Assert.False(pool.HasSpare);
    }

    [Fact]
    public void ATableReadsEntriesCanBeEnumeratedOnceOnly()
    {
        // The second pass would read a list given back to the pool (and maybe filled by another read since).
        IEnumerable<SocketEntry> entries = SocketTable.Read(new SocketQuery { IncludeUdp = false, States = new[] { SocketState.Listen } }, new TableSession(new RecordingTableLog()));
        _ = entries.Count();
        Assert.Throws<InvalidOperationException>(() => entries.Count());
    }
}
