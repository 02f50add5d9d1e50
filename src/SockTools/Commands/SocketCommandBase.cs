using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SockTools.Completers;
using SockTools.Query;
using SockTools.Table;
using SockTools.Validation;

namespace SockTools.Commands
{
    /// <summary>
    /// Parameters and plumbing shared by the cmdlets that read the socket table: bind filters,
    /// build one <see cref="SocketQuery"/>, read once, hand the entries to the cmdlet to write.
    /// Process ids arriving through the pipeline are gathered and read in one pass at the end.
    /// </summary>
    public abstract class SocketCommandBase : PSCmdlet
    {
        private SocketQuery? _query;

        private readonly HashSet<int> _pipedProcessIds = new HashSet<int>();
        private bool _processIdGiven;
        private CmdletTableLog? _log;

        /// <summary>Port at either end of the socket (1 to 65535).</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(PortCompleter))]
        [ValidateSocketPort]
        public int[]? Port { get; set; }

        /// <summary>Local port.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PortCompleter))]
        [ValidateRange(0, 65535)]
        public int[]? LocalPort { get; set; }

        /// <summary>Local address or CIDR range.</summary>
        [Parameter]
        public AddressRange[]? LocalAddress { get; set; }

        /// <summary>Tcp, Udp, Unix, or All (every protocol this system has); Tcp and Udp when not given.</summary>
        [Parameter]
        public SocketProtocolFilter[]? Protocol { get; set; }

        /// <summary>Only UNIX sockets whose name (a path, or @name for an abstract one) matches (wildcards allowed); implies -Protocol Unix.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(UnixPathCompleter))]
        [ValidateNotNullOrEmpty]
        [ValidateWildcard]
        public string[]? Path { get; set; }

        /// <summary>IPv4, IPv6 or both.</summary>
        [Parameter]
        public IPAddressFamily[]? AddressFamily { get; set; }

        /// <summary>Only sockets held by these processes; binds Id from Get-Process output.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Id", "OwningProcess")]
        [ArgumentCompleter(typeof(ProcessIdCompleter))]
        [AllowNull]
        [AllowEmptyCollection]
        public int[]? ProcessId { get; set; }

        /// <summary>Only sockets held by processes with these names (wildcards allowed).</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ProcessNameCompleter))]
        [ValidateNotNullOrEmpty]
        [ValidateWildcard]
        public string[]? ProcessName { get; set; }

        /// <summary>Gathers piped process ids; the table is read once, in EndProcessing.</summary>
        protected override void ProcessRecord()
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(ProcessId)))
            {
                _processIdGiven = true;
                foreach (int pid in ProcessId ?? Array.Empty<int>())
                {
                    _pipedProcessIds.Add(pid);
                }
            }
        }

        /// <summary>Builds the query from every filter, then runs the cmdlet's part.</summary>
        protected override void EndProcessing()
        {
            if (MyInvocation.ExpectingInput && !_processIdGiven)
            {
                // Piped input can only mean "sockets of these processes": an empty pipeline names none,
                // and must not fall back to every socket on the machine.
                _processIdGiven = true;
                WriteVerbose("Nothing came through the pipeline, so there is no process to show sockets of.");
            }

            try
            {
                SocketQuery query = BuildQuery();
                _query = query;
                Execute(query);
            }
            catch (SocketTableException e)
            {
                // The one error boundary: failures of the read and of the lazy owner scan while entries stream.
                ThrowTerminatingError(Errors.TableFailed(e));
            }
        }

        /// <summary>What the cmdlet does with its query; the default reads once and writes the entries.</summary>
        private protected virtual void Execute(SocketQuery query) => WriteEntries(ReadTable(query));

        /// <summary>Where the reader's explanations go: -Verbose, and warnings said once per command.</summary>
        private protected ITableLog Log => _log ??= new CmdletTableLog(this);

        /// <summary>Reads the table; every failure, now or while enumerating, is a <see cref="SocketTableException"/>.</summary>
        private protected IEnumerable<SocketEntry> ReadTable(SocketQuery query) => SocketTable.Read(query, new TableSession(Log));

        /// <summary>Which kernel states this cmdlet reads, per protocol, before the shared filters.</summary>
        private protected abstract void SelectStates(SocketQuery query);

        /// <summary>Writes what was read; the default writes every entry in the order it comes.</summary>
        private protected virtual void WriteEntries(IEnumerable<SocketEntry> entries)
        {
            foreach (SocketEntry entry in entries)
            {
                WriteObject(Output(entry));
            }
        }

        /// <summary>One entry as written, with the type names of its view and its extra properties (<see cref="EntryTypeNames"/>).</summary>
        private protected virtual object Output(SocketEntry entry) => EntryTypeNames.Of(entry, listener: false, tcpInfo: false, memoryInfo: false, UnixOutput);

        /// <summary>
        /// Whether the query reads UNIX sockets, alone (they get views of their own) or with TCP and UDP. Asked when
        /// entries are written, after the reader fitted the query to this system (-Protocol All reads no UNIX sockets
        /// on Windows and macOS).
        /// </summary>
        private protected UnixMix UnixOutput
            => _query is not { IncludeUnix: true } ? UnixMix.None : _query.IncludeTcp || _query.IncludeUdp ? UnixMix.Mixed : UnixMix.Alone;

        private SocketQuery BuildQuery()
        {
            var query = new SocketQuery();
            SelectStates(query);

            SelectProtocols(query);
            if (AddressFamily is { Length: > 0 })
            {
                query.FiltersOnAddressFamily = true;
                query.IncludeIPv4 = AddressFamily.Contains(IPAddressFamily.IPv4);
                query.IncludeIPv6 = AddressFamily.Contains(IPAddressFamily.IPv6);
            }

            query.AnyPorts = Port is null ? null : new PortSet(Port);
            query.LocalPorts = LocalPort is null ? null : new PortSet(LocalPort);
            query.LocalAddresses = LocalAddress;

            if (_processIdGiven)
            {
                query.ProcessIds = _pipedProcessIds;
                WriteVerbose($"Only sockets of process(es) {string.Join(", ", _pipedProcessIds)}.");
            }

            if (ProcessName is { Length: > 0 })
            {
                WildcardPattern[] patterns = ProcessName.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
                query.ProcessNameMatch = name => patterns.Any(p => p.IsMatch(name));
            }

            if (Path is { Length: > 0 })
            {
                // Paths are case-sensitive, as the file system and the abstract namespace are.
                WildcardPattern[] patterns = Path.Select(p => new WildcardPattern(p, WildcardOptions.None)).ToArray();
                query.PathMatch = path => patterns.Any(p => p.IsMatch(path));
            }

            return query;
        }

        /// <summary>
        /// -Protocol: the protocols named, All for every protocol this system has (SocketPlatform narrows it);
        /// without it TCP and UDP, or UNIX alone when -Path asks for UNIX sockets by name.
        /// </summary>
        private void SelectProtocols(SocketQuery query)
        {
            if (Protocol is { Length: > 0 })
            {
                query.AllProtocols = Protocol.Contains(SocketProtocolFilter.All);
                query.IncludeTcp = query.AllProtocols || Protocol.Contains(SocketProtocolFilter.Tcp);
                query.IncludeUdp = query.AllProtocols || Protocol.Contains(SocketProtocolFilter.Udp);
                query.IncludeUnix = query.AllProtocols || Protocol.Contains(SocketProtocolFilter.Unix);
                if (Path is { Length: > 0 } && !query.IncludeUnix)
                {
                    WriteVerbose("-Path matches UNIX sockets only, and -Protocol leaves them out: nothing can match.");
                }
            }
            else if (Path is { Length: > 0 })
            {
                query.IncludeTcp = false;
                query.IncludeUdp = false;
                query.IncludeUnix = true;
            }
        }
    }
}
