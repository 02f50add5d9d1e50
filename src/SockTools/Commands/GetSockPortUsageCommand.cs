using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
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
    /// <para type="synopsis">Shows, per destination this host connects to, how many local ports of the ephemeral range its sockets hold and how many are left.</para>
    /// <para type="description">The "~64k connections per destination" question: fullest destinations first, with a warning for those above -WarningPercent.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SockPortUsage")]
    [OutputType(typeof(PortUsage))]
    public sealed class GetSockPortUsageCommand : PSCmdlet
    {
        /// <summary>States whose sockets hold their local port: every TCP state of a connection, TIME_WAIT included, and Listen, to tell accepted sides apart.</summary>
        private static readonly SocketState[] ReadStates =
        {
            SocketState.Listen, SocketState.SynSent, SocketState.SynReceived, SocketState.Established, SocketState.FinWait1,
            SocketState.FinWait2, SocketState.CloseWait, SocketState.Closing, SocketState.LastAck, SocketState.TimeWait,
        };

        private CmdletTableLog? _log;

        /// <summary>Only destinations with one of these addresses or in one of these CIDR ranges.</summary>
        [Parameter(Position = 0)]
        public AddressRange[]? RemoteAddress { get; set; }

        /// <summary>Only destinations on one of these ports (1 to 65535).</summary>
        [Parameter(Position = 1)]
        [ValidateRange(1, 65535)]
        public int[]? RemotePort { get; set; }

        /// <summary>Only connections from one of these local addresses or CIDR ranges.</summary>
        [Parameter]
        public AddressRange[]? LocalAddress { get; set; }

        /// <summary>Warn for each destination that uses this percentage of the range or more (0 to 100, default 80).</summary>
        [Parameter]
        [ValidatePercent]
        public double WarningPercent { get; set; } = 80;

        /// <summary>Count inside this network namespace (its sockets and its port range): a name from ip netns, a path such as /proc/1234/ns/net, or a label such as net:[4026532281].</summary>
        [Parameter]
        [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
        [ValidateNotNullOrEmpty]
        public string? NetworkNamespace { get; set; }

        private ITableLog Log => _log ??= new CmdletTableLog(this);

        /// <summary>Reads the range and the table once, writes one row per destination, fullest first.</summary>
        protected override void EndProcessing()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                ThrowTerminatingError(Errors.LinuxOnly(
                    "Get-SockPortUsage",
                    "the ephemeral port range from /proc/sys/net/ipv4/ip_local_port_range",
                    "Count the connections per destination with Get-SockConnection -State Connected | Group-Object RemoteAddress, RemotePort; the range is in netsh int ipv4 show dynamicport tcp (Windows) or sysctl net.inet.ip.portrange (macOS)."));
            }

            using NamespaceScope? where = OpenNamespace();
            EphemeralPortRange range = ReadRange(where);
            string place = where is null ? string.Empty : $" of network namespace {where.Label}";
            WriteVerbose($"Ephemeral port range{place} {range} ({EphemeralPortRange.CurrentNamespace}/{EphemeralPortRange.RangeFile}, {EphemeralPortRange.ReservedFile}).");

            var read = new SocketQuery { IncludeUdp = false, States = ReadStates };
            List<SocketRecord> rows;
            try
            {
                rows = SocketTable.ReadPooledRows(read, new TableSession(Log, where));
            }
            catch (SocketTableException e)
            {
                ThrowTerminatingError(Errors.TableFailed(e));
                return;
            }

            SocketQuery? filter = RemoteAddress is null && RemotePort is null && LocalAddress is null
                ? null
                : new SocketQuery { RemoteAddresses = RemoteAddress, RemotePorts = RemotePort is null ? null : new PortSet(RemotePort), LocalAddresses = LocalAddress };
            List<PortUsage> usage = PortUsageTally.Count(rows, range.Contains, range.Size, filter);
            RowListPool.Shared.Return(rows);
            WriteVerbose($"{usage.Count} destination(s) hold ports of the range.");
            foreach (PortUsage destination in usage)
            {
                if (destination.PercentUsed >= WarningPercent)
                {
                    string endpoint = SocketEntry.FormatEndpoint(destination.RemoteAddress, destination.RemotePort, true);
                    Log.Warning(
                        "EphemeralPortsLow " + destination.LocalAddress + " " + endpoint,
                        string.Format(
                            CultureInfo.InvariantCulture,
                            "{0} -> {1} uses {2} % of the ephemeral ports ({3} of {4}, {5} in TimeWait); {6} left for new connections to it. Another address or port of that service gets the whole range again.",
                            destination.LocalAddress, endpoint, destination.PercentUsed.ToString("0.#", CultureInfo.InvariantCulture), destination.InUse, destination.RangeSize, destination.TimeWait, destination.Available));
                }

                WriteObject(destination);
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
        /// The range of PowerShell's namespace, or of <paramref name="where"/>: /proc/sys/net shows the namespace of the
        /// thread that opens the file, so there it is read on the thread inside.
        /// </summary>
        private EphemeralPortRange ReadRange(NamespaceScope? where)
        {
            try
            {
                return where is null ? EphemeralPortRange.Read() : where.Inside(() => EphemeralPortRange.Read());
            }
            catch (SocketTableException e)
            {
                ThrowTerminatingError(Errors.TableFailed(e));
                throw; // not reached: ThrowTerminatingError throws
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is SocketTableFormatException)
            {
                ThrowTerminatingError(Errors.PortRangeFailed(EphemeralPortRange.CurrentNamespace, e));
                throw; // not reached: ThrowTerminatingError throws
            }
        }
    }
}
