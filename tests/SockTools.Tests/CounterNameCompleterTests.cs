using System.Linq;
using System.Management.Automation;
using SockTools.Completers;
using Xunit;

namespace SockTools.Tests;

/// <summary>-Name completion of Get-SockSummary -Counters: described counters first, then the kernel's others by name.</summary>
public sealed class CounterNameCompleterTests
{
    [Fact]
    public void Offers_described_counters_in_reading_order_then_the_others_by_name()
    {
        CompletionResult[] results = CounterNameCompleter.Complete(new TypedWord("TcpExtListen"), new[] { "TcpExtListenZzz", "TcpExtListenAaa", "TcpExtListenOverflows" }).ToArray();
        Assert.Equal(new[] { "TcpExtListenOverflows", "TcpExtListenDrops", "TcpExtListenAaa", "TcpExtListenZzz" }, results.Select(r => r.CompletionText));
        Assert.StartsWith("Connections dropped on a full accept queue", results[0].ToolTip);
        Assert.Equal("TcpExtListenAaa", results[2].ToolTip); // no description: its name
    }

    [Fact]
    public void Matches_wildcards_and_case_and_offers_described_ones_off_Linux_too()
    {
        Assert.Equal(new[] { "Udp6RcvbufErrors" }, CounterNameCompleter.Complete(new TypedWord("udp6rcv"), Enumerable.Empty<string>()).Select(r => r.CompletionText));
        Assert.Contains("TcpExtTCPTimeWaitOverflow", CounterNameCompleter.Complete(new TypedWord("*TimeWait"), Enumerable.Empty<string>()).Select(r => r.CompletionText));
    }
}
