using System.Management.Automation;
using SockTools.Query;
using SockTools.Validation;

namespace SockTools.Commands
{
    /// <summary>
    /// The filters of every cmdlet that looks at connections, not just listeners:
    /// states (and groups) plus the remote end. Shared by Get-SockConnection and Watch-SockState.
    /// </summary>
    public abstract class ConnectionCommandBase : SocketCommandBase
    {
        /// <summary>States or state groups (Connected, Synchronized, All) to include; ss spellings (time-wait, estab) work too.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SocketStateName]
        public SocketStateFilter[]? State { get; set; }

        /// <summary>Remote (peer) port.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int[]? RemotePort { get; set; }

        /// <summary>Remote (peer) address or CIDR range.</summary>
        [Parameter]
        public AddressRange[]? RemoteAddress { get; set; }

        private protected override void SelectStates(SocketQuery query)
        {
            if (State is { Length: > 0 })
            {
                query.States = StateSelection.Expand(State);
            }

            query.RemotePorts = RemotePort is null ? null : new PortSet(RemotePort);
            query.RemoteAddresses = RemoteAddress;
        }
    }
}
