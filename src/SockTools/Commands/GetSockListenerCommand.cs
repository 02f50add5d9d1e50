using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SockTools.Query;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists listening TCP sockets, bound UDP sockets and UNIX sockets others can connect or send to, where they can be reached from, and who owns them.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SockListener", DefaultParameterSetName = OneNamespaceSet)]
    [OutputType(typeof(SocketEntry))]
    public sealed class GetSockListenerCommand : SocketCommandBase
    {
        /// <summary>Extra type name of listeners read with -AllNetworkNamespaces: their view shows the namespace.</summary>
        internal const string ListenerNamespaceTypeName = "SockTools.SocketEntry#ListenerNamespace";

        /// <summary>Only listeners reachable this way: Loopback, AllInterfaces or Address.</summary>
        [Parameter]
        public Exposure[]? Exposure { get; set; }

        private protected override void SelectStates(SocketQuery query)
        {
            query.States = new[] { SocketState.Listen, SocketState.Unconnected }; // TCP and UNIX listeners, bound UDP, named UNIX datagram sockets
            query.ListenersOnly = true;
            query.Exposures = Exposure is { Length: > 0 } ? Exposure : null;
        }

        /// <summary>
        /// Sorted by protocol, port and address (UNIX sockets by path), the way people scan a listener list; by namespace
        /// first when there are several.
        /// </summary>
        private protected override void WriteEntries(IEnumerable<SocketEntry> entries)
        {
            IEnumerable<SocketEntry> sorted = entries
                .OrderBy(NamespaceOrder)
                .ThenBy(e => e.Protocol)
                .ThenBy(e => e.LocalPort)
                .ThenBy(e => e.AddressFamily)
                .ThenBy(e => e.LocalAddress, System.StringComparer.Ordinal)
                .ThenBy(e => e.Path, System.StringComparer.Ordinal);
            foreach (SocketEntry entry in sorted)
            {
                WriteObject(Shown(EntryTypeNames.Of(entry, listener: true, tcpInfo: false, memoryInfo: false, UnixOutput), null, ListenerNamespaceTypeName));
            }
        }
    }
}
