using System.Collections.Generic;
using System.Linq;
using System.Net;
using SockTools.Query;
using SockTools.Summary;
using SockTools.Table;
using Xunit;

namespace SockTools.Tests;

/// <summary>The counting behind Get-SockSummary and Get-SockPortUsage, on hand-made rows.</summary>
public sealed class SummaryTallyTests
{
    private static SocketRecord Row(SocketState state, string local, int localPort, string remote, int remotePort, SocketProtocol protocol = SocketProtocol.Tcp)
        => new SocketRecord
        {
            Protocol = protocol,
            State = state,
            LocalAddress = AddressValue.FromIPAddress(IPAddress.Parse(local)),
            LocalPort = (ushort)localPort,
            RemoteAddress = AddressValue.FromIPAddress(IPAddress.Parse(remote)),
            RemotePort = (ushort)remotePort,
        };

    [Fact]
    public void Counts_every_state_of_each_protocol_with_zeros_and_splits_the_families()
    {
        var rows = new List<SocketRecord>
        {
            Row(SocketState.Listen, "0.0.0.0", 80, "0.0.0.0", 0),
            Row(SocketState.Listen, "::", 80, "::", 0),
            Row(SocketState.Established, "127.0.0.1", 80, "127.0.0.1", 40000),
            Row(SocketState.Established, "127.0.0.1", 40000, "127.0.0.1", 80),
            Row(SocketState.TimeWait, "::ffff:127.0.0.1", 40001, "::ffff:127.0.0.1", 80),
            Row(SocketState.Unconnected, "0.0.0.0", 53, "0.0.0.0", 0, SocketProtocol.Udp),
        };
        List<SocketStateCount> counts = StateTally.Count(rows, new SocketQuery());
        Assert.Equal(12, counts.Count); // 10 TCP states (no Bound: none read), 2 UDP
        Assert.Equal(
            new[] { "Listen", "SynSent", "SynReceived", "Established", "FinWait1", "FinWait2", "CloseWait", "Closing", "LastAck", "TimeWait" },
            counts.Where(c => c.Protocol == SocketProtocol.Tcp).Select(c => c.State.ToString()));
        SocketStateCount listen = counts[0];
        Assert.Equal((2, 1, 1), (listen.Count, listen.IPv4, listen.IPv6));
        Assert.Equal(2, counts.Single(c => c.Protocol == SocketProtocol.Tcp && c.State == SocketState.Established).Count);
        Assert.Equal((1, 0, 1), counts.Where(c => c.State == SocketState.TimeWait).Select(c => (c.Count, c.IPv4, c.IPv6)).Single());
        Assert.Equal(1, counts.Single(c => c.Protocol == SocketProtocol.Udp && c.State == SocketState.Unconnected).Count);
        Assert.Equal(0, counts.Single(c => c.Protocol == SocketProtocol.Udp && c.State == SocketState.Established).Count);
        Assert.Equal("tcp TIME-WAIT 1", counts.Single(c => c.State == SocketState.TimeWait).ToString());
    }

    [Fact]
    public void Bound_shows_when_sockets_are_in_it_or_when_asked()
    {
        var bound = new List<SocketRecord> { Row(SocketState.Bound, "0.0.0.0", 9, "0.0.0.0", 0) };
        Assert.Contains(StateTally.Count(bound, new SocketQuery()), c => c.State == SocketState.Bound && c.Count == 1);
        var asked = new SocketQuery { States = new[] { SocketState.Bound } };
        Assert.Equal(new[] { SocketState.Bound }, StateTally.Count(new List<SocketRecord>(), asked).Select(c => c.State));
    }

    [Fact]
    public void A_state_filter_gives_rows_only_for_protocols_that_can_be_in_it()
    {
        var query = new SocketQuery { States = StateSelection.Expand(new[] { SocketStateFilter.Established, SocketStateFilter.TimeWait }) };
        List<SocketStateCount> counts = StateTally.Count(new List<SocketRecord>(), query);
        Assert.Equal(new[] { "Tcp Established", "Tcp TimeWait", "Udp Established" }, counts.Select(c => $"{c.Protocol} {c.State}"));
        query.IncludeTcp = false;
        Assert.Equal(new[] { "Udp Established" }, StateTally.Count(new List<SocketRecord>(), query).Select(c => $"{c.Protocol} {c.State}"));
    }

    private static List<PortUsage> Usage(List<SocketRecord> rows, int first = 40000, int last = 40009, SocketQuery? filter = null)
        => PortUsageTally.Count(rows, p => p >= first && p <= last, last - first + 1, filter);

    [Fact]
    public void Counts_sockets_per_destination_with_TIME_WAIT_fullest_first()
    {
        var rows = new List<SocketRecord> { Row(SocketState.Listen, "127.0.0.1", 7000, "0.0.0.0", 0) };
        for (int i = 0; i < 10; i++)
        {
            rows.Add(Row(i < 3 ? SocketState.TimeWait : SocketState.Established, "127.0.0.1", 40000 + i, "127.0.0.1", 7000));
            rows.Add(Row(SocketState.Established, "127.0.0.1", 7000, "127.0.0.1", 40000 + i)); // accepted side: port 7000 is not in the range
        }

        rows.Add(Row(SocketState.Established, "127.0.0.1", 40000, "127.0.0.1", 7001)); // the same local port, another destination
        List<PortUsage> usage = Usage(rows);
        Assert.Equal(2, usage.Count);
        PortUsage full = usage[0];
        Assert.Equal(("127.0.0.1", "127.0.0.1", 7000), (full.LocalAddress, full.RemoteAddress, full.RemotePort));
        Assert.Equal((10, 3, 10, 0, 100.0), (full.InUse, full.TimeWait, full.RangeSize, full.Available, full.PercentUsed));
        Assert.Equal(SocketProtocol.Tcp, full.Protocol);
        Assert.Equal((1, 9, 10.0), (usage[1].InUse, usage[1].Available, usage[1].PercentUsed));
        Assert.Equal("127.0.0.1 -> 127.0.0.1:7000 10 of 10 (100 %)", full.ToString());
    }

    [Fact]
    public void The_accepted_side_of_a_listener_inside_the_range_uses_no_port_on_its_address_or_the_wildcard()
    {
        var rows = new List<SocketRecord>
        {
            Row(SocketState.Listen, "127.0.0.1", 40005, "0.0.0.0", 0),
            Row(SocketState.Established, "127.0.0.1", 40005, "127.0.0.1", 40001), // accepted: excluded
            Row(SocketState.Established, "127.0.0.1", 40001, "127.0.0.1", 40005), // the client: counted
            Row(SocketState.Listen, "::", 40006, "::", 0),
            Row(SocketState.Established, "::ffff:10.0.0.1", 40006, "::ffff:10.0.0.2", 50000), // accepted by the dual-stack wildcard
            Row(SocketState.Established, "10.0.0.1", 40005, "10.0.0.9", 80), // same port, another address, no listener there
        };
        List<PortUsage> usage = Usage(rows);
        Assert.Equal(new[] { "10.0.0.9:80", "127.0.0.1:40005" }, usage.Select(u => u.RemoteAddress + ":" + u.RemotePort).OrderBy(x => x, System.StringComparer.Ordinal));
    }

    [Fact]
    public void Sockets_outside_the_range_listeners_and_UDP_use_no_port_of_it()
    {
        var rows = new List<SocketRecord>
        {
            Row(SocketState.Established, "127.0.0.1", 39999, "127.0.0.1", 80),
            Row(SocketState.Established, "127.0.0.1", 40010, "127.0.0.1", 80),
            Row(SocketState.Listen, "127.0.0.1", 40001, "0.0.0.0", 0),
            Row(SocketState.Bound, "127.0.0.1", 40002, "0.0.0.0", 0),
            Row(SocketState.Established, "127.0.0.1", 40003, "127.0.0.1", 53, SocketProtocol.Udp),
        };
        Assert.Empty(Usage(rows));
    }

    [Fact]
    public void IPv4_mapped_sockets_count_with_IPv4_ones_towards_the_same_destination()
    {
        var rows = new List<SocketRecord>
        {
            Row(SocketState.Established, "127.0.0.1", 40000, "127.0.0.1", 5432),
            Row(SocketState.SynSent, "::ffff:127.0.0.1", 40001, "::ffff:127.0.0.1", 5432),
            Row(SocketState.FinWait2, "::1", 40002, "::1", 5432),
        };
        List<PortUsage> usage = Usage(rows);
        Assert.Equal(2, usage.Count);
        Assert.Equal(("127.0.0.1", "127.0.0.1", 2), (usage[0].LocalAddress, usage[0].RemoteAddress, usage[0].InUse));
        Assert.Equal(("::1", 1), (usage[1].RemoteAddress, usage[1].InUse));
    }

    [Fact]
    public void Filters_pick_destinations_and_equal_ones_sort_by_port_then_address()
    {
        var rows = new List<SocketRecord>
        {
            Row(SocketState.Established, "10.0.0.1", 40000, "10.0.0.7", 443),
            Row(SocketState.Established, "10.0.0.1", 40000, "10.0.0.5", 443),
            Row(SocketState.Established, "10.0.0.1", 40000, "10.0.0.5", 80),
            Row(SocketState.Established, "10.0.0.2", 40000, "10.0.0.5", 80),
        };
        Assert.Equal(
            new[] { "10.0.0.1 10.0.0.5:80", "10.0.0.2 10.0.0.5:80", "10.0.0.1 10.0.0.5:443", "10.0.0.1 10.0.0.7:443" },
            Usage(rows).Select(u => $"{u.LocalAddress} {u.RemoteAddress}:{u.RemotePort}"));
        var filter = new SocketQuery { RemotePorts = new PortSet(new[] { 443 }), RemoteAddresses = new[] { AddressRange.Parse("10.0.0.4/31") } };
        Assert.Equal(new[] { "10.0.0.5:443" }, Usage(rows, filter: filter).Select(u => $"{u.RemoteAddress}:{u.RemotePort}"));
    }

    [Theory]
    [InlineData(0, 28232, 0.0)]
    [InlineData(1, 28232, 0.0)]
    [InlineData(28231, 28232, 99.9)] // one port left is not 100 %
    [InlineData(28232, 28232, 100.0)]
    [InlineData(7, 10, 70.0)]
    [InlineData(2, 3, 66.6)]
    [InlineData(0, 0, 100.0)]        // an empty range is full
    public void PercentUsed_is_cut_not_rounded(int inUse, int rangeSize, double expected)
    {
        var usage = new PortUsage(SocketProtocol.Tcp, "127.0.0.1", "127.0.0.1", 80, inUse, 0, rangeSize);
        Assert.Equal(expected, usage.PercentUsed);
        Assert.Equal(System.Math.Max(0, rangeSize - inUse), usage.Available);
    }

    [Theory]
    [InlineData(null, 40, null)]
    [InlineData("short", 40, "short")]
    [InlineData("aaa bbb ccc", 7, "aaa bbb\nccc")]
    [InlineData("aaa  bbb", 3, "aaa\nbbb")]
    [InlineData("abcdefghij", 4, "abcd\nefgh\nij")]
    [InlineData("ab abcdefghij", 4, "ab\nabcd\nefgh\nij")]
    public void WrapWords_breaks_at_spaces_and_long_words_where_it_must(string? text, int width, string? expected)
    {
        Assert.Equal(expected, ExtendedMembers.WrapWords(text, width));
    }
}
