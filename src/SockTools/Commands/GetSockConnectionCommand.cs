using System.Collections.Generic;
using System.Management.Automation;
using SockTools.Query;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists TCP and UDP sockets with their 4-tuple, state, queues and owning process.</para>
    /// <para type="description">Every socket, listeners included (as Get-NetTCPConnection does); -State narrows it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SockConnection", DefaultParameterSetName = OneNamespaceSet)]
    [OutputType(typeof(SocketEntry))]
    public sealed class GetSockConnectionCommand : ConnectionCommandBase
    {
        /// <summary>Extra type name that gives entries the TCP internals properties (SockTools.Types.ps1xml).</summary>
        internal const string TcpInfoTypeName = "SockTools.SocketEntry#TcpInfo";

        /// <summary>Also read TCP internals: round-trip time, congestion window and algorithm, byte counters.</summary>
        [Parameter]
        public SwitchParameter TcpInfo { get; set; }

        private protected override void Execute(SocketQuery query)
        {
            query.IncludeTcpInfo = TcpInfo.IsPresent;
            base.Execute(query);
        }

        /// <summary>
        /// With -TcpInfo, each entry carries the TCP internals as properties; without it they are no columns at all.
        /// With -AllNetworkNamespaces, the view shows each entry's namespace.
        /// </summary>
        private protected override void WriteEntries(IEnumerable<SocketEntry> entries)
        {
            foreach (SocketEntry entry in entries)
            {
                WriteObject(Shown(entry, TcpInfo.IsPresent ? TcpInfoTypeName : null, NamespaceTypeName));
            }
        }
    }
}
