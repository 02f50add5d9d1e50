using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using SockTools.Completers;
using SockTools.Query;
using SockTools.Summary;
using SockTools.Table;
using SockTools.Table.Linux;
using SockTools.Validation;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Counts sockets per protocol and state, shows the kernel's own socket figures (-Kernel) and the counters that explain trouble (-Counters).</para>
    /// <para type="description">What ss -s and netstat -s tell, as objects: one read of the table without owners, cheap enough for a loop.</para>
    /// </summary>
    /// <remarks>
    /// Three answers, one per parameter set, each a stream of one type so Export-Csv and Format-Table work on it:
    /// per-state counts from the socket table (default, every OS with a reader), the kernel's figures from
    /// /proc/net/sockstat (-Kernel) and its counters from /proc/net/snmp and netstat (-Counters), Linux only.
    /// </remarks>
    [Cmdlet(VerbsCommon.Get, "SockSummary", DefaultParameterSetName = StateSet)]
    [OutputType(typeof(SocketStateCount), ParameterSetName = new[] { StateSet })]
    [OutputType(typeof(KernelSocketStat), ParameterSetName = new[] { KernelSet })]
    [OutputType(typeof(SocketCounter), ParameterSetName = new[] { CountersSet })]
    public sealed class GetSockSummaryCommand : PSCmdlet
    {
        private const string StateSet = "State";
        private const string KernelSet = "Kernel";
        private const string CountersSet = "Counters";

        private CmdletTableLog? _log;

        /// <summary>Count only sockets with one of these ports at either end (1 to 65535).</summary>
        [Parameter(Position = 0, ParameterSetName = StateSet)]
        [ArgumentCompleter(typeof(PortCompleter))]
        [ValidateSocketPort]
        public int[]? Port { get; set; }

        /// <summary>States or state groups (Connected, Synchronized, All) to count; ss spellings (time-wait, estab) work too.</summary>
        [Parameter(ParameterSetName = StateSet)]
        [ValidateNotNullOrEmpty]
        [SocketStateName]
        public SocketStateFilter[]? State { get; set; }

        /// <summary>Tcp, Udp or both.</summary>
        /// <remarks>The enum also names Unix, which the tallies do not count: refused at binding, never an empty answer.</remarks>
        [Parameter]
        [ValidateSet(nameof(SocketProtocol.Tcp), nameof(SocketProtocol.Udp))]
        public SocketProtocol[]? Protocol { get; set; }

        /// <summary>Count only sockets of these IP versions.</summary>
        [Parameter(ParameterSetName = StateSet)]
        public IPAddressFamily[]? AddressFamily { get; set; }

        /// <summary>Count only sockets with one of these local ports.</summary>
        [Parameter(ParameterSetName = StateSet)]
        [ArgumentCompleter(typeof(PortCompleter))]
        [ValidateRange(0, 65535)]
        public int[]? LocalPort { get; set; }

        /// <summary>Count only sockets with one of these remote ports.</summary>
        [Parameter(ParameterSetName = StateSet)]
        [ValidateRange(0, 65535)]
        public int[]? RemotePort { get; set; }

        /// <summary>Count only sockets whose local address is one of these addresses or in one of these CIDR ranges.</summary>
        [Parameter(ParameterSetName = StateSet)]
        public AddressRange[]? LocalAddress { get; set; }

        /// <summary>Count only sockets whose remote address is one of these addresses or in one of these CIDR ranges.</summary>
        [Parameter(ParameterSetName = StateSet)]
        public AddressRange[]? RemoteAddress { get; set; }

        /// <summary>The kernel's own figures per protocol (Linux /proc/net/sockstat): orphans, TIME_WAIT, memory, and their limits.</summary>
        [Parameter(Mandatory = true, ParameterSetName = KernelSet)]
        public SwitchParameter Kernel { get; set; }

        /// <summary>The kernel counters that explain trouble (Linux /proc/net/snmp, netstat, snmp6), one per row, with what to do.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CountersSet)]
        public SwitchParameter Counters { get; set; }

        /// <summary>With -Counters: only counters with these names (wildcards allowed), from every counter the kernel has.</summary>
        [Parameter(Position = 0, ParameterSetName = CountersSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(CounterNameCompleter))]
        [ValidateNotNullOrEmpty]
        [ValidateWildcard]
        public string[]? Name { get; set; }

        /// <summary>Count inside this network namespace (its sockets, and with -Kernel and -Counters its figures): a name from ip netns, a path such as /proc/1234/ns/net, or a label such as net:[4026532281].</summary>
        [Parameter]
        [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
        [ValidateNotNullOrEmpty]
        public string? NetworkNamespace { get; set; }

        private ITableLog Log => _log ??= new CmdletTableLog(this);

        /// <summary>Reads once and writes the answer of the parameter set.</summary>
        protected override void EndProcessing()
        {
            using NamespaceScope? where = OpenNamespace();
            switch (ParameterSetName)
            {
                case KernelSet:
                    WriteKernel(where);
                    break;
                case CountersSet:
                    WriteCounters(where);
                    break;
                default:
                    WriteStates(where);
                    break;
            }
        }

        /// <summary>The namespace -NetworkNamespace names, opened; null without it.</summary>
        private NamespaceScope? OpenNamespace()
        {
            try
            {
                return NetworkNamespace is null ? null : NamespaceScope.One(NetworkNamespace, NamespaceArgument.PathOf(this, NetworkNamespace));
            }
            catch (SocketTableException e)
            {
                ThrowTerminatingError(Errors.TableFailed(e));
                throw; // not reached: ThrowTerminatingError throws
            }
        }

        /// <summary>
        /// The kernel's figures of PowerShell's namespace, or of <paramref name="where"/>: read on the thread inside it,
        /// through /proc/thread-self/net (/proc/net is the main thread's) and /proc/sys/net (the opening thread's).
        /// </summary>
        private KernelStatistics ReadKernel<T>(NamespaceScope? where, Func<KernelStatistics, T> read, out T result)
        {
            if (where is null)
            {
                var here = new KernelStatistics();
                result = read(here);
                return here;
            }

            try
            {
                (KernelStatistics kernel, T value) = where.Inside(() =>
                {
                    var inside = new KernelStatistics(KernelStatistics.ThreadNetDirectory);
                    return (inside, read(inside));
                });
                result = value;
                return kernel;
            }
            catch (SocketTableException e)
            {
                ThrowTerminatingError(Errors.TableFailed(e));
                throw; // not reached: ThrowTerminatingError throws
            }
        }

        private void WriteStates(NamespaceScope? where)
        {
            var query = new SocketQuery();
            if (State is { Length: > 0 })
            {
                query.States = StateSelection.Expand(State);
            }

            if (Protocol is { Length: > 0 })
            {
                query.IncludeTcp = Protocol.Contains(SocketProtocol.Tcp);
                query.IncludeUdp = Protocol.Contains(SocketProtocol.Udp);
            }

            if (AddressFamily is { Length: > 0 })
            {
                query.IncludeIPv4 = AddressFamily.Contains(IPAddressFamily.IPv4);
                query.IncludeIPv6 = AddressFamily.Contains(IPAddressFamily.IPv6);
            }

            query.AnyPorts = Port is null ? null : new PortSet(Port);
            query.LocalPorts = LocalPort is null ? null : new PortSet(LocalPort);
            query.RemotePorts = RemotePort is null ? null : new PortSet(RemotePort);
            query.LocalAddresses = LocalAddress;
            query.RemoteAddresses = RemoteAddress;

            List<SocketRecord> rows;
            try
            {
                rows = SocketTable.ReadPooledRows(query, new TableSession(Log, where));
            }
            catch (SocketTableException e)
            {
                ThrowTerminatingError(Errors.TableFailed(e));
                return;
            }

            List<SocketStateCount> counts = StateTally.Count(rows, query);
            RowListPool.Shared.Return(rows);
            foreach (SocketStateCount count in counts)
            {
                WriteObject(count);
            }
        }

        private void WriteKernel(NamespaceScope? where)
        {
            RequireLinux("Get-SockSummary -Kernel", "/proc/net/sockstat");
            KernelStatistics kernel = ReadKernel(where, k => k.ReadSocketStats(), out List<KernelSocketStat> stats);
            Report(kernel);
            foreach (KernelSocketStat stat in stats)
            {
                if (Protocol is not { Length: > 0 } || Protocol.Contains(stat.Protocol))
                {
                    WriteObject(stat);
                }
            }
        }

        private void WriteCounters(NamespaceScope? where)
        {
            RequireLinux("Get-SockSummary -Counters", "/proc/net/snmp and /proc/net/netstat");
            KernelStatistics kernel = ReadKernel(where, k => k.ReadCounters(), out Dictionary<string, long> counters);
            Report(kernel);
            WriteVerbose($"The kernel has {counters.Count} counters; {(Name is null ? "showing those that explain trouble" : "showing those -Name matches")}.");

            IEnumerable<string> names = Name is null
                ? CounterCatalog.Entries.Select(e => e.Name)
                : CounterCatalog.Entries.Select(e => e.Name).Concat(counters.Keys.OrderBy(k => k, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
            WildcardPattern[] patterns = (Name ?? Array.Empty<string>()).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
            var matched = new HashSet<WildcardPattern>();
            foreach (string name in names)
            {
                if (!counters.TryGetValue(name, out long value))
                {
                    continue; // an older kernel does not have it: absent, not an error
                }

                bool wanted = patterns.Length == 0;
                foreach (WildcardPattern pattern in patterns)
                {
                    if (pattern.IsMatch(name))
                    {
                        matched.Add(pattern); // the counter exists, even if -Protocol leaves it out
                        wanted = true;
                    }
                }

                if (wanted && (Protocol is not { Length: > 0 } || (CounterCatalog.ProtocolOf(name) is SocketProtocol p && Protocol.Contains(p))))
                {
                    WriteObject(new SocketCounter(name, value, CounterCatalog.Describe(name)));
                }
            }

            for (int i = 0; i < patterns.Length; i++)
            {
                if (!matched.Contains(patterns[i]) && !WildcardPattern.ContainsWildcardCharacters(Name![i]))
                {
                    WriteError(Errors.CounterNotFound(Name[i]));
                }
            }
        }

        /// <summary>-Kernel and -Counters read files only Linux has: elsewhere one terminating error that says what works.</summary>
        private void RequireLinux(string what, string files)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                ThrowTerminatingError(Errors.LinuxOnly(what, files, "Get-SockSummary without -Kernel and -Counters counts sockets per state on this system too; netstat -s shows this system's own counters."));
            }
        }

        /// <summary>What could not be read is an error, what could not be parsed a -Verbose line; the rest is written.</summary>
        private void Report(KernelStatistics kernel)
        {
            foreach (string problem in kernel.Problems)
            {
                WriteVerbose(problem);
            }

            foreach ((string path, Exception error) in kernel.Failures)
            {
                WriteError(Errors.KernelFileFailed(path, error));
            }
        }
    }
}
