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
    /// build one <see cref="SocketQuery"/>, open the network namespaces named, read once, hand the entries to
    /// the cmdlet to write. Process ids arriving through the pipeline are gathered and read in one pass at the end.
    /// </summary>
    public abstract class SocketCommandBase : PSCmdlet
    {
        /// <summary>The default parameter set: PowerShell's own network namespace, or the one -NetworkNamespace names.</summary>
        internal const string OneNamespaceSet = "OneNamespace";

        /// <summary>The parameter set of -AllNetworkNamespaces.</summary>
        internal const string AllNamespacesSet = "AllNamespaces";

        /// <summary>Extra type name of entries read with -AllNetworkNamespaces: their view shows the namespace.</summary>
        internal const string NamespaceTypeName = "SockTools.SocketEntry#Namespace";

        private SocketQuery? _query;

        private readonly HashSet<int> _pipedProcessIds = new HashSet<int>();
        private bool _processIdGiven;
        private CmdletTableLog? _log;
        private TableSession? _session;

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

        /// <summary>Read the table inside this network namespace: a name from ip netns, a path such as /proc/1234/ns/net, or a label such as net:[4026532281].</summary>
        [Parameter(ParameterSetName = OneNamespaceSet)]
        [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
        [ValidateNotNullOrEmpty]
        public string? NetworkNamespace { get; set; }

        /// <summary>Read every network namespace of the host, each once (named ones and those only processes hold, such as containers'); entries carry NetworkNamespace.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AllNamespacesSet)]
        public SwitchParameter AllNetworkNamespaces { get; set; }

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

                // The namespaces stay open, and their thread alive, while the entries stream; then both go.
                using NamespaceScope? namespaces = OpenNamespaces();
                _session = new TableSession(Log, namespaces);
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

        /// <summary>What this command's reads share: its log and the network namespaces it reads.</summary>
        private protected TableSession Session => _session ?? throw new InvalidOperationException("The session is made in EndProcessing.");

        /// <summary>Reads the table; every failure, now or while enumerating, is a <see cref="SocketTableException"/>.</summary>
        private protected IEnumerable<SocketEntry> ReadTable(SocketQuery query) => SocketTable.Read(query, Session);

        /// <summary>
        /// The object to write for <paramref name="item"/>: as it is, or with extra type names that pick its view, the
        /// first one given first. With -AllNetworkNamespaces, <paramref name="namespaceTypeName"/> leads. An item that
        /// <see cref="EntryTypeNames"/> already wrapped keeps its names (UNIX members, -TcpInfo, -MemoryInfo) after these.
        /// </summary>
        private protected object Shown(object item, string? typeName, string? namespaceTypeName)
        {
            bool withNamespace = AllNetworkNamespaces.IsPresent && namespaceTypeName is not null;
            if (typeName is null && !withNamespace)
            {
                return item;
            }

            PSObject shown = item as PSObject ?? new PSObject(item);
            if (typeName is not null)
            {
                shown.TypeNames.Insert(0, typeName);
            }

            if (withNamespace)
            {
                shown.TypeNames.Insert(0, namespaceTypeName!);
            }

            return shown;
        }

        /// <summary>Where <paramref name="entry"/>'s namespace came in the last read (PowerShell's own first); 0 without namespaces.</summary>
        private protected int NamespaceOrder(SocketEntry entry)
        {
            IReadOnlyList<NetworkNamespace>? read = _session?.Namespaces?.LastRead;
            for (int i = 0; read is not null && i < read.Count; i++)
            {
                if (read[i].Tag.Number == entry.Namespace?.Number)
                {
                    return i;
                }
            }

            return 0;
        }

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

        /// <summary>The namespaces -NetworkNamespace or -AllNetworkNamespaces names; null for PowerShell's own.</summary>
        private NamespaceScope? OpenNamespaces()
        {
            if (AllNetworkNamespaces.IsPresent)
            {
                WriteVerbose("Reading every network namespace.");
                return NamespaceScope.Every();
            }

            return NetworkNamespace is null ? null : NamespaceScope.One(NetworkNamespace, NamespaceArgument.PathOf(this, NetworkNamespace));
        }

        /// <summary>One entry as written, with the type names of its view and its extra properties (<see cref="EntryTypeNames"/>).</summary>
        private protected virtual object Output(SocketEntry entry)
            => Shown(EntryTypeNames.Of(entry, listener: false, tcpInfo: false, memoryInfo: false, UnixOutput), null, NamespaceTypeName);

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
