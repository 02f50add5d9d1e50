using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using SockTools.Completers;
using SockTools.Query;
using SockTools.Table;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Closes TCP and UDP sockets of any process, as ss -K does: the owner sees its connection aborted and lives on.</para>
    /// </summary>
    /// <remarks>
    /// Two ways in: sockets piped from Get-SockConnection (closed one by one as they arrive), or the filters of
    /// Get-SockConnection (the table is read once, at the end). Filters given with piped sockets are refused, not
    /// guessed at. -ProcessId is redeclared here only so that it takes pipeline input by property name in the
    /// filter set alone: a piped socket has a ProcessId property, which would otherwise bind as a filter too.
    /// </remarks>
    [Cmdlet(VerbsCommon.Close, "SockConnection", DefaultParameterSetName = FilterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(SocketEntry))]
    public sealed class CloseSockConnectionCommand : ConnectionCommandBase, IDisposable
    {
        private const string FilterSet = "Filter";
        private const string InputObjectSet = "InputObject";

        /// <summary>The filters this cmdlet shares with Get-SockConnection; given with piped sockets they are refused.</summary>
        private static readonly string[] FilterNames = typeof(ConnectionCommandBase)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttributes(typeof(ParameterAttribute), true).Length > 0)
            .Select(p => p.Name)
            .ToArray();

        /// <summary>Where to read, not what: given alone they name no socket to close.</summary>
        private static readonly string[] NamespaceNames = { nameof(NetworkNamespace), nameof(AllNetworkNamespaces) };

        private readonly HashSet<SocketCloseResult> _advised = new HashSet<SocketCloseResult>();
        private NamespaceClosers? _closers;
        private int _asked;
        private int _closed;

        /// <summary>Sockets to close, from Get-SockConnection or Get-SockListener.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public SocketEntry[] InputObject { get; set; } = Array.Empty<SocketEntry>();

        /// <summary>Only sockets held by these processes; binds Id from Get-Process output (a filter: not with piped sockets).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = FilterSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [Alias("Id", "OwningProcess")]
        [ArgumentCompleter(typeof(ProcessIdCompleter))]
        [AllowNull]
        [AllowEmptyCollection]
        public new int[]? ProcessId
        {
            get => base.ProcessId;
            set => base.ProcessId = value;
        }

        /// <summary>Read and close inside this network namespace: a name from ip netns, a path such as /proc/1234/ns/net, or a label such as net:[4026532281] (a filter: not with piped sockets, which carry their own).</summary>
        [Parameter(ParameterSetName = FilterSet)]
        [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
        [ValidateNotNullOrEmpty]
        public new string? NetworkNamespace
        {
            get => base.NetworkNamespace;
            set => base.NetworkNamespace = value;
        }

        /// <summary>Read every network namespace and close, inside each, what the filters find there (not with piped sockets).</summary>
        [Parameter(ParameterSetName = FilterSet)]
        public new SwitchParameter AllNetworkNamespaces
        {
            get => base.AllNetworkNamespaces;
            set => base.AllNetworkNamespaces = value;
        }

        /// <summary>Also close listeners (TCP Listen, bound UDP): their servers stop accepting.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write each socket that was closed.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Piped sockets are closed as they arrive; piped process ids are gathered for the one read at the end.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName != InputObjectSet)
            {
                base.ProcessRecord();
                return;
            }

            string[] filters = FilterNames.Where(MyInvocation.BoundParameters.ContainsKey).ToArray();
            if (filters.Length > 0)
            {
                ThrowTerminatingError(Errors.FiltersWithPipedSockets(filters));
            }

            try
            {
                foreach (SocketEntry entry in InputObject)
                {
                    CloseOne(entry);
                }
            }
            catch (SocketTableException e)
            {
                ThrowTerminatingError(Errors.TableFailed(e));
            }
        }

        /// <summary>With filters: reads the table once and closes what it finds.</summary>
        protected override void EndProcessing()
        {
            if (ParameterSetName != InputObjectSet)
            {
                if (!MyInvocation.ExpectingInput && !FilterNames.Where(n => !NamespaceNames.Contains(n)).Any(MyInvocation.BoundParameters.ContainsKey))
                {
                    // Where to read is no filter: -NetworkNamespace alone would close every connection there.
                    ThrowTerminatingError(Errors.CloseTargetMissing());
                }

                if (NetworkNamespace is not null && AllNetworkNamespaces.IsPresent)
                {
                    ThrowTerminatingError(Errors.NamespaceParametersTogether());
                }

                base.EndProcessing();
            }

            WriteVerbose($"Closed {_closed} of {_asked} socket(s) asked for.");
        }

        /// <summary>Releases the OS handle used to close sockets.</summary>
        public void Dispose() => _closers?.Dispose();

        /// <summary>Materialized first: the owner scan is done before the first socket is closed or the first prompt shown.</summary>
        private protected override void Execute(SocketQuery query)
        {
            if (Path is { Length: > 0 })
            {
                ThrowTerminatingError(Errors.UnixFilterNotClosable("-Path", string.Join(", ", Path)));
            }

            if (query.IncludeUnix && !query.AllProtocols)
            {
                ThrowTerminatingError(Errors.UnixFilterNotClosable("-Protocol", SocketProtocolFilter.Unix));
            }

            query.IncludeUnix = false; // -Protocol All: every protocol this cmdlet can close
            foreach (SocketEntry entry in ReadTable(query).ToList())
            {
                CloseOne(entry);
            }
        }

        private void CloseOne(SocketEntry entry)
        {
            if (entry.Protocol == SocketProtocol.Unix)
            {
                WriteError(Errors.UnixSocketNotClosable(entry));
                return;
            }

            if (entry.IsListener && !Force)
            {
                WriteError(Errors.ListenerNeedsForce(entry));
                return;
            }

            if (!ShouldProcess(entry.Summary, "Close (abort)"))
            {
                return;
            }

            _asked++;
            _closers ??= new NamespaceClosers();
            ISocketCloser closer;
            try
            {
                // A socket read in another network namespace is closed from inside it (-NetworkNamespace,
                // -AllNetworkNamespaces, or piped from a reader that used them).
                closer = _closers.CloserFor(entry.Namespace);
            }
            catch (SocketTableException e) when (entry.Namespace is not null && e.ErrorId != "SocketCloseFailed")
            {
                WriteError(Errors.TableFailed(e)); // that namespace is gone or out of reach: the other sockets go on
                return;
            }

            SocketCloseOutcome outcome = closer.Close(entry);
            switch (outcome.Result)
            {
                case SocketCloseResult.Closed:
                    _closed++;
                    WriteVerbose($"Closed {entry.Summary}.");
                    if (PassThru)
                    {
                        WriteObject(entry);
                    }

                    break;
                case SocketCloseResult.Gone when IsStillListed(entry):
                    WriteError(Errors.SocketAddressShared(entry));
                    break;
                case SocketCloseResult.Gone:
                    WriteVerbose($"{entry.Summary}: {outcome.Detail}; nothing to close.");
                    break;
                default:
                    if (outcome.Advice != null && _advised.Add(outcome.Result))
                    {
                        WriteWarning(outcome.Advice); // the same for every socket: said once, each socket still gets its error
                    }

                    WriteError(Errors.SocketNotClosed(entry, outcome));
                    break;
            }
        }

        /// <summary>
        /// Whether the socket with this entry's cookie is still in the table, though the OS said it is gone: the
        /// cookie tells it from a socket that took its addresses since. Without a cookie there is no telling.
        /// </summary>
        private bool IsStillListed(SocketEntry entry)
        {
            if (entry.Cookie is null)
            {
                return false;
            }

            var query = new SocketQuery
            {
                IncludeTcp = entry.Protocol == SocketProtocol.Tcp,
                IncludeUdp = entry.Protocol == SocketProtocol.Udp,
                LocalPorts = new PortSet(new[] { entry.LocalPort ?? 0 }), // TCP and UDP only: UNIX sockets never reach the closer
                IncludeOwners = false, // the cookie says which socket it is; no process needs reading
            };
            var session = new TableSession(Log, _closers?.ScopeFor(entry.Namespace));
            return SocketTable.Read(query, session).Any(e => e.Cookie == entry.Cookie);
        }
    }
}
