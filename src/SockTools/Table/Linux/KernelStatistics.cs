using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Reads what the kernel counts itself, as opposed to the socket table: the counters of /proc/net/snmp,
    /// netstat and snmp6 and the socket figures of /proc/net/sockstat and sockstat6, with the limits they are
    /// measured against from /proc/sys/net/ipv4. The directories are parameters: /proc/net and /proc/sys/net
    /// show the network namespace of the reading process (thread), so another namespace is read by reading
    /// there or by handing in its directories (/proc/&lt;pid&gt;/net).
    /// A file that does not exist (snmp6 and sockstat6 without IPv6, a counter file an old kernel lacks) is
    /// simply not there; a file that exists but cannot be read goes to <see cref="Failures"/>, and lines that
    /// cannot be parsed to <see cref="Problems"/>, so a caller reports both and keeps the rest.
    /// </summary>
    internal sealed class KernelStatistics
    {
        internal const string CurrentNetDirectory = "/proc/net";

        /// <summary>The calling thread's network namespace's files (/proc/net is the main thread's).</summary>
        internal const string ThreadNetDirectory = "/proc/thread-self/net";

        private readonly string _net;
        private readonly string _sysctl;

        internal KernelStatistics(string netDirectory = CurrentNetDirectory, string sysctlDirectory = EphemeralPortRange.CurrentNamespace)
        {
            _net = netDirectory;
            _sysctl = sysctlDirectory;
        }

        /// <summary>Lines that could not be parsed, for -Verbose.</summary>
        internal List<string> Problems { get; } = new List<string>();

        /// <summary>Files that exist but could not be read, with why.</summary>
        internal List<(string Path, Exception Error)> Failures { get; } = new List<(string, Exception)>();

        /// <summary>Every counter of snmp, netstat and snmp6 by its nstat name.</summary>
        internal Dictionary<string, long> ReadCounters()
        {
            var counters = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (string file in new[] { "snmp", "netstat" })
            {
                string? text = ReadFile(Path.Combine(_net, file));
                if (text != null)
                {
                    SnmpParser.ParsePairs(text, counters, Problems);
                }
            }

            string? six = ReadFile(Path.Combine(_net, "snmp6"));
            if (six != null)
            {
                SnmpParser.ParseLines(six, counters, Problems);
            }

            return counters;
        }

        /// <summary>One row for TCP and one for UDP from sockstat, sockstat6 and the protocols' limits.</summary>
        internal List<KernelSocketStat> ReadSocketStats()
        {
            var figures = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (string file in new[] { "sockstat", "sockstat6" })
            {
                string? text = ReadFile(Path.Combine(_net, file));
                if (text != null)
                {
                    SockstatParser.Parse(text, figures, Problems);
                }
            }

            long[]? tcpMem = ReadNumbers("tcp_mem", 3);
            long[]? udpMem = ReadNumbers("udp_mem", 3);
            long? maxOrphans = ReadNumbers("tcp_max_orphans", 1)?[0];
            long? maxTimeWait = ReadNumbers("tcp_max_tw_buckets", 1)?[0];
            return Build(figures, tcpMem, udpMem, maxOrphans, maxTimeWait, Environment.SystemPageSize);
        }

        /// <summary>The rows from parsed sockstat figures and limits; pure, so fixtures test it.</summary>
        internal static List<KernelSocketStat> Build(IReadOnlyDictionary<string, long> figures, long[]? tcpMem, long[]? udpMem, long? maxOrphans, long? maxTimeWait, long pageSize)
        {
            long? Figure(string key) => figures.TryGetValue(key, out long value) ? value : null;
            long? Bytes(long? pages) => pages is long p && p <= long.MaxValue / pageSize ? p * pageSize : null;

            return new List<KernelSocketStat>
            {
                new KernelSocketStat(
                    SocketProtocol.Tcp,
                    Figure("TCP inuse"),
                    Figure("TCP6 inuse"),
                    Figure("TCP orphan"),
                    maxOrphans,
                    Figure("TCP tw"),
                    maxTimeWait,
                    Figure("TCP alloc"),
                    Bytes(Figure("TCP mem")),
                    Bytes(tcpMem?[1]),
                    Bytes(tcpMem?[2])),
                new KernelSocketStat(
                    SocketProtocol.Udp,
                    Figure("UDP inuse"),
                    Figure("UDP6 inuse"),
                    null,
                    null,
                    null,
                    null,
                    null,
                    Bytes(Figure("UDP mem")),
                    Bytes(udpMem?[1]),
                    Bytes(udpMem?[2])),
            };
        }

        /// <summary>A sysctl of <paramref name="count"/> numbers; null when missing or not that.</summary>
        private long[]? ReadNumbers(string name, int count)
        {
            string path = Path.Combine(_sysctl, name);
            string? text = ReadFile(path);
            if (text is null)
            {
                return null;
            }

            string[] words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var numbers = new long[count];
            for (int i = 0; i < count; i++)
            {
                if (words.Length != count || !long.TryParse(words[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
                {
                    Problems.Add($"{path} holds '{SnmpParser.Shorten(text.Trim())}', not {count} number(s); that limit is left empty.");
                    return null;
                }
            }

            return numbers;
        }

        /// <summary>The file's text; null when it does not exist or cannot be read (the latter also in <see cref="Failures"/>).</summary>
        private string? ReadFile(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                Failures.Add((path, e));
                return null;
            }
        }
    }
}
