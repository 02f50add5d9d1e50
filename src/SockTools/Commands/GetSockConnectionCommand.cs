using System.Management.Automation;
using SockTools.Query;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists TCP, UDP and UNIX domain sockets with their endpoints or path, state, queues and owning process.</para>
    /// <para type="description">Every socket, listeners included (as Get-NetTCPConnection does); -State narrows it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SockConnection", DefaultParameterSetName = OneNamespaceSet)]
    [OutputType(typeof(SocketEntry))]
    public sealed class GetSockConnectionCommand : ConnectionCommandBase
    {
        /// <summary>Also read TCP internals: round-trip time, congestion window and algorithm, byte counters.</summary>
        [Parameter]
        public SwitchParameter TcpInfo { get; set; }

        /// <summary>Also read each socket's memory: receive and send buffer use and limits, and the drop counter (ss -m).</summary>
        [Parameter]
        public SwitchParameter MemoryInfo { get; set; }

        private protected override void Execute(SocketQuery query)
        {
            query.IncludeTcpInfo = TcpInfo.IsPresent;
            query.IncludeMemoryInfo = MemoryInfo.IsPresent;
            base.Execute(query);
        }

        /// <summary>
        /// With -TcpInfo or -MemoryInfo, each entry carries those properties; without, they are no columns at all.
        /// With -AllNetworkNamespaces, the view shows each entry's namespace.
        /// </summary>
        private protected override object Output(SocketEntry entry)
            => Shown(EntryTypeNames.Of(entry, listener: false, TcpInfo.IsPresent, MemoryInfo.IsPresent, UnixOutput), null, NamespaceTypeName);
    }
}
