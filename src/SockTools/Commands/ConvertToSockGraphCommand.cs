using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Runtime.InteropServices;
using SockTools.Graph;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.Linux;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Draws who talks to whom: sockets from the pipeline as a Mermaid or Graphviz graph of processes, remote hosts and connections.</para>
    /// <para type="description">Processes are nodes, connections are edges from client to server labelled with the server port; both ends of a connection on this computer become one edge.</para>
    /// </summary>
    [Cmdlet(VerbsData.ConvertTo, "SockGraph")]
    [OutputType(typeof(string))]
    public sealed class ConvertToSockGraphCommand : PSCmdlet
    {
        private readonly List<GraphSocket> _sockets = new List<GraphSocket>();

        /// <summary>Sockets from Get-SockConnection or Get-SockListener (also their deserialized copies from jobs and remoting).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [AllowNull]
        public PSObject? InputObject { get; set; }

        /// <summary>Mermaid (default) or Dot.</summary>
        [Parameter]
        public GraphFormat Format { get; set; } = GraphFormat.Mermaid;

        /// <summary>One node per process (ProcessId, the default) or per process name.</summary>
        [Parameter]
        public GraphNodeGrouping GroupBy { get; set; } = GraphNodeGrouping.ProcessId;

        /// <summary>Leave out connections whose peer is a loopback address.</summary>
        [Parameter]
        public SwitchParameter ExcludeLoopback { get; set; }

        /// <summary>Leave out connections whose peer is another computer.</summary>
        [Parameter]
        public SwitchParameter ExcludeRemote { get; set; }

        /// <summary>Collects the sockets; the graph needs all of them.</summary>
        protected override void ProcessRecord()
        {
            if (InputObject is null)
            {
                return;
            }

            if (ToGraphSocket(InputObject) is GraphSocket socket)
            {
                _sockets.Add(socket);
            }
            else
            {
                WriteError(Errors.NotASocket(InputObject));
            }
        }

        /// <summary>Builds the graph and writes it, one line per string.</summary>
        protected override void EndProcessing()
        {
            var options = new GraphOptions
            {
                GroupByProcessName = GroupBy == GraphNodeGrouping.ProcessName,
                ExcludeLoopback = ExcludeLoopback.IsPresent,
                ExcludeRemote = ExcludeRemote.IsPresent,
            };
            SetEphemeralRange(options);
            if (_sockets.Exists(s => s.Host is null && s.HasPeer && !s.IsUnix))
            {
                ReadLocalListeners(options.Listening);
            }

            SocketGraph graph = new SocketGraphBuilder(options).Build(_sockets);
            WriteVerbose($"{_sockets.Count} socket(s): {graph.Nodes.Count} node(s), {graph.Edges.Count} edge(s).");
            foreach (string line in Format == GraphFormat.Dot ? DotWriter.Write(graph) : MermaidWriter.Write(graph))
            {
                WriteObject(line);
            }
        }

        /// <summary>
        /// What listens on this computer now, so the server end of a connection is known even when the input holds
        /// connections only (-State Established). Rows only: no owner lookup.
        /// </summary>
        private void ReadLocalListeners(ListeningPorts listening)
        {
            var query = new SocketQuery { States = new[] { SocketState.Listen, SocketState.Unconnected } };
            try
            {
                foreach (SocketRecord row in SocketTable.ReadRows(query, new TableSession(new CmdletTableLog(this))))
                {
                    listening.Add(null, row.Protocol, row.LocalAddress, row.LocalPort);
                }
            }
            catch (SocketTableException e)
            {
                WriteVerbose($"Listeners not read ({e.Message}); the server end of a connection is guessed from its ports.");
            }
        }

        /// <summary>The ephemeral range: Linux's own setting, else the IANA range Windows and macOS use.</summary>
        private void SetEphemeralRange(GraphOptions options)
        {
            options.EphemeralFirst = 49152;
            options.EphemeralLast = 65535;
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return;
            }

            options.EphemeralFirst = 32768;
            options.EphemeralLast = 60999;
            try
            {
                EphemeralPortRange range = EphemeralPortRange.Read();
                options.EphemeralFirst = range.First;
                options.EphemeralLast = range.Last;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is SocketTableFormatException)
            {
                WriteVerbose($"Ephemeral port range not read ({e.Message}); taking 32768-60999.");
            }
        }

        /// <summary>
        /// The computer a socket was read on: PSComputerName of remoting and job output, null for this computer (jobs
        /// and Invoke-Command -ComputerName localhost name it localhost, which is this one too).
        /// </summary>
        private static string? ComputerOf(PSObject input)
        {
            string? name = input.Properties["PSComputerName"]?.Value as string;
            if (string.IsNullOrEmpty(name) || name == "." || string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, Dns.GetHostName(), StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            return name;
        }

        /// <summary>A SocketEntry, or an object with its properties (a deserialized one); null for anything else.</summary>
        internal static GraphSocket? ToGraphSocket(PSObject input)
        {
            string? host = ComputerOf(input);
            if (input.BaseObject is SocketEntry { Protocol: SocketProtocol.Unix } unix)
            {
                return GraphSocket.Unix(host, unix.State, unix.Path, unix.Inode ?? 0, unix.PeerInode, unix.ProcessId, unix.ProcessName, unix.PeerProcessId, unix.PeerProcessName);
            }

            if (input.BaseObject is SocketEntry entry)
            {
                return entry.LocalPort is int localPort && entry.RemotePort is int remotePort // a UNIX socket has no ports to draw
                    ? new GraphSocket(host, entry.Protocol, entry.State, entry.LocalValue, localPort, entry.RemoteValue, remotePort, entry.ProcessId, entry.ProcessName)
                    : null;
            }

            try
            {
                object? protocol = input.Properties["Protocol"]?.Value;
                object? state = input.Properties["State"]?.Value;
                if (protocol is not null && state is not null && LanguagePrimitives.ConvertTo<SocketProtocol>(protocol.ToString()) == SocketProtocol.Unix)
                {
                    return GraphSocket.Unix(
                        host,
                        LanguagePrimitives.ConvertTo<SocketState>(state.ToString()),
                        input.Properties["Path"]?.Value?.ToString(),
                        LanguagePrimitives.ConvertTo<long?>(input.Properties["Inode"]?.Value) ?? 0,
                        LanguagePrimitives.ConvertTo<long?>(input.Properties["PeerInode"]?.Value),
                        LanguagePrimitives.ConvertTo<int?>(input.Properties["ProcessId"]?.Value),
                        input.Properties["ProcessName"]?.Value?.ToString(),
                        LanguagePrimitives.ConvertTo<int?>(input.Properties["PeerProcessId"]?.Value),
                        input.Properties["PeerProcessName"]?.Value?.ToString());
                }

                if (protocol is null || state is null
                    || !IPAddress.TryParse(input.Properties["LocalAddress"]?.Value?.ToString(), out IPAddress? local)
                    || !IPAddress.TryParse(input.Properties["RemoteAddress"]?.Value?.ToString(), out IPAddress? remote))
                {
                    return null;
                }

                object? pid = input.Properties["ProcessId"]?.Value;
                return new GraphSocket(
                    host,
                    LanguagePrimitives.ConvertTo<SocketProtocol>(protocol.ToString()),
                    LanguagePrimitives.ConvertTo<SocketState>(state.ToString()),
                    AddressValue.FromIPAddress(local),
                    LanguagePrimitives.ConvertTo<int>(input.Properties["LocalPort"]?.Value),
                    AddressValue.FromIPAddress(remote),
                    LanguagePrimitives.ConvertTo<int>(input.Properties["RemotePort"]?.Value),
                    pid is null ? null : LanguagePrimitives.ConvertTo<int>(pid),
                    input.Properties["ProcessName"]?.Value?.ToString());
            }
            catch (PSInvalidCastException)
            {
                return null;
            }
        }
    }
}
