using System.Management.Automation;
using SockTools.Query;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists TCP and UDP sockets with their 4-tuple, state, queues and owning process.</para>
    /// <para type="description">Every socket, listeners included (as Get-NetTCPConnection does); -State narrows it.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SockConnection")]
    [OutputType(typeof(SocketEntry))]
    public sealed class GetSockConnectionCommand : ConnectionCommandBase
    {
        /// <summary>Also read TCP internals: round-trip time, congestion window and algorithm, byte counters.</summary>
        [Parameter]
        public SwitchParameter TcpInfo { get; set; }

        private protected override void Execute(SocketQuery query)
        {
            query.IncludeTcpInfo = TcpInfo.IsPresent;
            base.Execute(query);
        }
    }
}
