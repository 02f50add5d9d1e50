using System.Collections.Generic;
using SockTools.Query;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// The row list's size hint from sockstat: the protocols and families a query reads, TIME_WAIT for TCP, and no
/// hint at all for a query that reads a small part of the table (a listener query on a busy host, a port filter).
/// </summary>
public sealed class RowCountEstimateTests
{
    private static readonly Dictionary<string, long> Figures = new()
    {
        ["TCP inuse"] = 60050, ["TCP tw"] = 324, ["TCP alloc"] = 999_999, ["TCP6 inuse"] = 1000,
        ["UDP inuse"] = 100, ["UDP6 inuse"] = 7,
    };

    [Fact]
    public void AWholeTableReadExpectsEverySocketInUseAndTimeWait()
        => Assert.Equal(60050 + 1000 + 324 + 100 + 7 + 64, RowCountEstimate.Count(new SocketQuery(), Figures));

    [Fact]
    public void OnlyTheAskedProtocolsAndFamiliesCount()
    {
        Assert.Equal(60050 + 1000 + 324 + 64, RowCountEstimate.Count(new SocketQuery { IncludeUdp = false }, Figures));
        Assert.Equal(60050 + 324 + 100 + 64, RowCountEstimate.Count(new SocketQuery { IncludeIPv6 = false }, Figures));
    }

    [Fact]
    public void NoFiguresMeanNoHint()
        => Assert.Equal(0, RowCountEstimate.Count(new SocketQuery(), new Dictionary<string, long>()));

    [Fact]
    public void AQueryThatReadsLittleOfTheTableGetsNoHint()
    {
        Assert.Equal(0, RowCountEstimate.For(new SocketQuery { States = new[] { SocketState.Listen } }));
        Assert.Equal(0, RowCountEstimate.For(new SocketQuery { LocalPorts = new PortSet(new[] { 5432 }) }));
    }

    [Fact]
    public void ThisHostsCountsGiveAHintForAWholeTableRead()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start(); // at least one TCP socket in use in this namespace
        try
        {
            Assert.True(RowCountEstimate.For(new SocketQuery()) >= 1 + 64, "/proc/thread-self/net/sockstat should count the listener");
        }
        finally
        {
            listener.Stop();
        }
    }
}
