using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SockTools.Query;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists listening TCP sockets and bound UDP sockets, where they can be reached from, and who owns them.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SockListener", DefaultParameterSetName = OneNamespaceSet)]
    [OutputType(typeof(SocketEntry))]
    public sealed class GetSockListenerCommand : SocketCommandBase
    {
        /// <summary>Extra type name that selects the listener table view.</summary>
        internal const string ListenerTypeName = "SockTools.SocketEntry#Listener";

        /// <summary>Extra type name of listeners read with -AllNetworkNamespaces: their view shows the namespace.</summary>
        internal const string ListenerNamespaceTypeName = "SockTools.SocketEntry#ListenerNamespace";

        /// <summary>Only listeners reachable this way: Loopback, AllInterfaces or Address.</summary>
        [Parameter]
        public Exposure[]? Exposure { get; set; }

        private protected override void SelectStates(SocketQuery query)
        {
            query.States = new[] { SocketState.Listen, SocketState.Unconnected }; // TCP listeners, bound UDP
            query.Exposures = Exposure is { Length: > 0 } ? Exposure : null;
        }

        /// <summary>Sorted by protocol, port and address, the way people scan a listener list; by namespace first when there are several.</summary>
        private protected override void WriteEntries(IEnumerable<SocketEntry> entries)
        {
            IEnumerable<SocketEntry> sorted = entries
                .OrderBy(NamespaceOrder)
                .ThenBy(e => e.Protocol)
                .ThenBy(e => e.LocalPort)
                .ThenBy(e => e.AddressFamily)
                .ThenBy(e => e.LocalAddress, System.StringComparer.Ordinal);
            foreach (SocketEntry entry in sorted)
            {
                WriteObject(Shown(entry, ListenerTypeName, ListenerNamespaceTypeName));
            }
        }
    }
}
