using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// The kernel's counter and sockstat files: captured ones (Fixtures/Kernel, Linux 6.18), an older kernel's
/// shorter and reordered header, and hostile text. Every counter is found by its name in the header of its own
/// pair of lines; what cannot be read is left out and said, never guessed.
/// </summary>
public sealed class KernelFilesTests
{
    private static string Capture(string name) => Encoding.UTF8.GetString(Fixture.Bytes(Path.Combine("Kernel", name)));

    private static Dictionary<string, long> Pairs(string text, List<string>? problems = null)
    {
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        SnmpParser.ParsePairs(text, counters, problems);
        return counters;
    }

    [Fact]
    public void Reads_the_captured_snmp_by_name_with_nstat_names()
    {
        var problems = new List<string>();
        Dictionary<string, long> c = Pairs(Capture("snmp"), problems);
        Assert.Empty(problems);
        Assert.Equal(319854, c["TcpActiveOpens"]);
        Assert.Equal(259756, c["TcpAttemptFails"]);
        Assert.Equal(195, c["TcpRetransSegs"]);
        Assert.Equal(291767, c["TcpOutRsts"]);
        Assert.Equal(-1, c["TcpMaxConn"]); // signed: no limit
        Assert.Equal(21, c["UdpRcvbufErrors"]);
        Assert.Equal(0, c["UdpNoPorts"]);
        Assert.True(c.ContainsKey("IpInReceives") && c.ContainsKey("IcmpInMsgs") && c.ContainsKey("UdpLiteInDatagrams"));
    }

    [Fact]
    public void Reads_the_captured_netstat_and_snmp6()
    {
        var problems = new List<string>();
        Dictionary<string, long> c = Pairs(Capture("netstat"), problems);
        SnmpParser.ParseLines(Capture("snmp6"), c, problems);
        Assert.Empty(problems);
        Assert.Equal(18753, c["TcpExtListenOverflows"]);
        Assert.Equal(0, c["TcpExtTCPTimeWaitOverflow"]);
        Assert.Equal(0, c["TcpExtSyncookiesSent"]);
        Assert.True(c.ContainsKey("IpExtInOctets"));
        Assert.Equal(0, c["Udp6RcvbufErrors"]);
        Assert.True(c.ContainsKey("Ip6InReceives"));
    }

    [Fact]
    public void Every_counter_SockTools_describes_is_in_the_captured_files()
    {
        Dictionary<string, long> c = Pairs(Capture("snmp") + "\n" + Capture("netstat"));
        SnmpParser.ParseLines(Capture("snmp6"), c);
        string[] missing = CounterCatalog.Entries.Select(e => e.Name).Where(n => !c.ContainsKey(n)).ToArray();
        Assert.True(missing.Length == 0, "not in the capture: " + string.Join(", ", missing));
    }

    [Fact]
    public void An_older_kernel_with_fewer_fields_in_another_order_is_read_by_name_and_the_rest_is_absent()
    {
        const string Old =
            "TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed ListenDrops ListenOverflows TW\n" +
            "TcpExt: 5 4 3 17 12 900\n" +
            "IpExt: InNoRoutes InTruncatedPkts\n" +
            "IpExt: 0 0\n";
        Dictionary<string, long> c = Pairs(Old);
        Assert.Equal(12, c["TcpExtListenOverflows"]);
        Assert.Equal(17, c["TcpExtListenDrops"]);
        Assert.Equal(900, c["TcpExtTW"]);
        Assert.False(c.ContainsKey("TcpExtTCPTimeWaitOverflow"));
        Assert.Equal(8, c.Count);
    }

    [Fact]
    public void A_pair_whose_counts_differ_is_left_out_whole_and_the_next_pair_is_still_read()
    {
        var problems = new List<string>();
        Dictionary<string, long> c = Pairs("Tcp: A B C\nTcp: 1 2\nUdp: NoPorts InErrors\nUdp: 7 8\n", problems);
        Assert.False(c.ContainsKey("TcpA"));
        Assert.Equal(7, c["UdpNoPorts"]);
        Assert.Contains(problems, p => p.Contains("Tcp names 3 counters but has 2 values"));
    }

    [Fact]
    public void A_header_followed_by_another_group_resynchronises_on_that_line()
    {
        var problems = new List<string>();
        Dictionary<string, long> c = Pairs("Tcp: A B\nUdp: NoPorts\nUdp: 3\n", problems);
        Assert.Single(c);
        Assert.Equal(3, c["UdpNoPorts"]);
        Assert.Single(problems);
    }

    [Theory]
    [InlineData("Tcp: A B\nTcp: 1 x\n", "TcpA", 1)]                       // not a number: only that one is left out
    [InlineData("Tcp: A B\nTcp: 1 99999999999999999999\n", "TcpA", 1)]  // beyond 64 bits
    [InlineData("Tcp: A B\nTcp: 1 1.5\n", "TcpA", 1)]
    [InlineData("Tcp: A B\r\nTcp: 1 2\r\n", "TcpB", 2)]                   // CRLF
    [InlineData("  Tcp:   A    B  \n\n\nTcp:\t1\t2\n", "TcpB", 2)]        // spaces, tabs and blank lines
    [InlineData("Tcp: A A\nTcp: 1 2\n", "TcpA", 1)]                       // twice: the first wins
    public void Odd_values_cost_only_themselves(string text, string name, long expected)
    {
        var problems = new List<string>();
        Dictionary<string, long> c = Pairs(text, problems);
        Assert.Equal(expected, c[name]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("Tcp: A B\n")]                 // a header without values
    [InlineData("Tcp: 1 2\nTcp: 3 4\n")]       // numbers as names
    [InlineData("Tcp A B\nTcp 1 2\n")]         // no colon
    [InlineData(": A B\n: 1 2\n")]             // no group
    [InlineData("T\u0000cp: A\nT\u0000cp: 1\n")] // control characters in the group
    [InlineData("Tcp: A-B\nTcp: 1\n")]         // a name that is no name
    public void Hostile_text_gives_no_counters_and_no_exception(string text)
    {
        var problems = new List<string>();
        Assert.Empty(Pairs(text, problems));
        Assert.All(problems, p => Assert.DoesNotContain('\u0000', p));
    }

    [Fact]
    public void Snmp6_lines_that_are_not_a_name_and_a_number_are_left_out()
    {
        var counters = new Dictionary<string, long>();
        var problems = new List<string>();
        SnmpParser.ParseLines("Udp6NoPorts 4\nUdp6InErrors\nUdp6RcvbufErrors 2 3\nUdp6Mem-Errors 1\nUdp6SndbufErrors x\nUdp6InDatagrams\t\t9\n", counters, problems);
        Assert.Equal(new Dictionary<string, long> { ["Udp6NoPorts"] = 4, ["Udp6InDatagrams"] = 9 }, counters);
        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public void Random_text_never_throws()
    {
        var random = new Random(12);
        const string Alphabet = "Tcp: AB12 -x\n\t\r:0";
        for (int i = 0; i < 2000; i++)
        {
            var text = new StringBuilder();
            for (int k = random.Next(200); k > 0; k--)
            {
                text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            var counters = new Dictionary<string, long>();
            SnmpParser.ParsePairs(text.ToString(), counters, new List<string>());
            SnmpParser.ParseLines(text.ToString(), counters, new List<string>());
            SockstatParser.Parse(text.ToString(), new List<string>());
        }
    }

    [Fact]
    public void Reads_the_captured_sockstat_files_by_word()
    {
        var problems = new List<string>();
        var figures = new Dictionary<string, long>();
        SockstatParser.Parse(Capture("sockstat"), figures, problems);
        SockstatParser.Parse(Capture("sockstat6"), figures, problems);
        Assert.Empty(problems);
        Assert.Equal(1, figures["TCP inuse"]);
        Assert.Equal(0, figures["TCP orphan"]);
        Assert.Equal(29, figures["TCP tw"]);
        Assert.Equal(60051, figures["TCP alloc"]);
        Assert.Equal(59, figures["TCP mem"]);
        Assert.Equal(0, figures["UDP mem"]);
        Assert.Equal(0, figures["TCP6 inuse"]);
        Assert.Equal(29, figures["sockets used"]);
        Assert.Equal(0, figures["FRAG6 memory"]);
    }

    [Theory]
    [InlineData("TCP: inuse 3 orphan\n")]          // a word without its number
    [InlineData("TCP: inuse -3\n")]                // no negative figures
    [InlineData("TCP: 3 inuse\n")]                 // the number first
    [InlineData("TCP inuse 3\n")]                  // no colon
    [InlineData("TCP: in use 3 4\n")]              // "in use" is two words
    public void Odd_sockstat_lines_give_no_figure_for_what_is_odd(string text)
    {
        var problems = new List<string>();
        Dictionary<string, long> figures = SockstatParser.Parse(text, problems);
        Assert.False(figures.ContainsKey("TCP inuse"));
        Assert.NotEmpty(problems);
    }

    [Fact]
    public void Kernel_rows_carry_figures_limits_and_bytes_and_null_for_what_a_protocol_has_not()
    {
        var figures = new Dictionary<string, long>
        {
            ["TCP inuse"] = 12, ["TCP orphan"] = 2, ["TCP tw"] = 9, ["TCP alloc"] = 40, ["TCP mem"] = 59,
            ["TCP6 inuse"] = 3, ["UDP inuse"] = 4, ["UDP mem"] = 1,
        };
        List<KernelSocketStat> rows = KernelStatistics.Build(figures, new long[] { 10, 20, 30 }, new long[] { 40, 50, 60 }, 4096, 8192, 4096);
        KernelSocketStat tcp = rows[0];
        Assert.Equal(SocketProtocol.Tcp, tcp.Protocol);
        Assert.Equal(15, tcp.InUse);
        Assert.Equal(12, tcp.IPv4);
        Assert.Equal(3, tcp.IPv6);
        Assert.Equal(2, tcp.Orphaned);
        Assert.Equal(4096, tcp.OrphanLimit);
        Assert.Equal(9, tcp.TimeWait);
        Assert.Equal(8192, tcp.TimeWaitLimit);
        Assert.Equal(40, tcp.Allocated);
        Assert.Equal(59 * 4096, tcp.MemoryBytes);
        Assert.Equal(20 * 4096, tcp.MemoryPressureBytes);
        Assert.Equal(30 * 4096, tcp.MemoryLimitBytes);
        Assert.Equal("tcp inuse 15 orphan 2 tw 9 mem 241664", tcp.ToString());

        KernelSocketStat udp = rows[1];
        Assert.Equal(4, udp.InUse);
        Assert.Null(udp.IPv6); // sockstat6 missing: IPv6 off
        Assert.Null(udp.Orphaned);
        Assert.Null(udp.TimeWait);
        Assert.Null(udp.Allocated);
        Assert.Equal(4096, udp.MemoryBytes);
        Assert.Equal(60 * 4096, udp.MemoryLimitBytes);
    }

    [Fact]
    public void Kernel_rows_of_nothing_are_nulls_and_huge_pages_do_not_wrap()
    {
        List<KernelSocketStat> rows = KernelStatistics.Build(new Dictionary<string, long> { ["TCP mem"] = long.MaxValue / 2 }, null, null, null, null, 4096);
        Assert.Null(rows[0].InUse);
        Assert.Null(rows[0].MemoryBytes); // more bytes than a long holds: unknown, not a negative number
        Assert.Null(rows[0].MemoryLimitBytes);
        Assert.Equal("tcp", rows[0].ToString());
    }

    [Fact]
    public void Reads_a_namespace_directory_and_reports_missing_files_as_absent_and_bad_limits_as_problems()
    {
        string root = Path.Combine(Path.GetTempPath(), "socktools-kernel-" + Guid.NewGuid().ToString("N"));
        string net = Path.Combine(root, "net");
        string sys = Path.Combine(root, "sys");
        Directory.CreateDirectory(net);
        Directory.CreateDirectory(sys);
        try
        {
            File.WriteAllText(Path.Combine(net, "snmp"), "Tcp: ActiveOpens\nTcp: 5\n");
            File.WriteAllText(Path.Combine(net, "sockstat"), "TCP: inuse 2 orphan 1 tw 3 alloc 4 mem 5\nUDP: inuse 6 mem 7\n");
            File.WriteAllText(Path.Combine(sys, "tcp_mem"), "1\t2\t3\n");
            File.WriteAllText(Path.Combine(sys, "tcp_max_orphans"), "lots\n");
            var kernel = new KernelStatistics(net, sys);

            Dictionary<string, long> counters = kernel.ReadCounters(); // netstat and snmp6 missing: absent
            Assert.Equal(new Dictionary<string, long> { ["TcpActiveOpens"] = 5 }, counters);

            List<KernelSocketStat> rows = kernel.ReadSocketStats();
            Assert.Equal(2, rows[0].InUse);
            Assert.Null(rows[0].IPv6);
            Assert.Null(rows[0].OrphanLimit);
            Assert.Equal(3L * Environment.SystemPageSize, rows[0].MemoryLimitBytes);
            Assert.Null(rows[1].MemoryLimitBytes);
            Assert.Empty(kernel.Failures);
            Assert.Contains(kernel.Problems, p => p.Contains("tcp_max_orphans"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Reads_this_machines_files_when_it_is_linux()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var kernel = new KernelStatistics();
        Dictionary<string, long> counters = kernel.ReadCounters();
        Assert.Empty(kernel.Failures);
        Assert.Empty(kernel.Problems);
        Assert.True(counters.ContainsKey("TcpActiveOpens"));
        Assert.NotNull(kernel.ReadSocketStats()[0].MemoryBytes);
    }

    [Fact]
    public void The_catalog_has_each_name_once_letters_and_digits_only_with_a_short_line_each()
    {
        Assert.Equal(CounterCatalog.Entries.Count, CounterCatalog.Entries.Select(e => e.Name).Distinct().Count());
        foreach ((string name, string description) in CounterCatalog.Entries)
        {
            Assert.Matches("^(Tcp|TcpExt|Udp|Udp6)[A-Za-z0-9]+$", name);
            Assert.InRange(description.Length, 20, 140);
            Assert.DoesNotContain("\n", description);
            Assert.EndsWith(".", description);
            Assert.NotNull(CounterCatalog.ProtocolOf(name));
        }

        Assert.Equal(SocketProtocol.Tcp, CounterCatalog.ProtocolOf("TcpExtListenOverflows"));
        Assert.Equal(SocketProtocol.Udp, CounterCatalog.ProtocolOf("Udp6NoPorts"));
        Assert.Null(CounterCatalog.ProtocolOf("UdpLiteInErrors"));
        Assert.Null(CounterCatalog.ProtocolOf("MPTcpExtMPCapableSYNRX"));
        Assert.Null(CounterCatalog.Describe("IpInReceives"));
    }
}
