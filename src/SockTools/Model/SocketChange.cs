using System;

namespace SockTools
{
    /// <summary>
    /// One change Watch-SockState saw: a socket opened, changed state or closed. Carries every
    /// <see cref="SocketEntry"/> property flat, so Export-Csv of a watch is a usable log.
    /// </summary>
    public sealed class SocketChange
    {
        private readonly SocketEntry _entry;

        internal SocketChange(DateTime timeStamp, ChangeType changeType, SocketState? previousState, SocketState? state, SocketEntry entry)
        {
            Time = timeStamp;
            ChangeType = changeType;
            PreviousState = previousState;
            State = state;
            _entry = entry;
        }

        /// <summary>
        /// When the change was seen (local time of the poll that saw it). PowerShell shows it as the TimeStamp
        /// property (SockTools.Types.ps1xml), whose text keeps the milliseconds in every culture.
        /// </summary>
        internal DateTime Time { get; }

        /// <summary>Opened, Changed or Closed.</summary>
        public ChangeType ChangeType { get; }

        /// <summary>The state before the change; null for Opened.</summary>
        public SocketState? PreviousState { get; }

        /// <summary>The state after the change; null for a socket that is gone (ChangeType Closed), which has no state any more.</summary>
        public SocketState? State { get; }

        /// <summary>Tcp, Udp or Unix.</summary>
        public SocketProtocol Protocol => _entry.Protocol;

        /// <summary>IPv4 or IPv6; null for a UNIX socket.</summary>
        public IPAddressFamily? AddressFamily => _entry.AddressFamily;

        /// <summary>Local address in canonical text form; null for a UNIX socket.</summary>
        public string? LocalAddress => _entry.LocalAddress;

        /// <summary>Local port; null for a UNIX socket.</summary>
        public int? LocalPort => _entry.LocalPort;

        /// <summary>Peer address; 0.0.0.0 or :: when there is no peer; null for a UNIX socket.</summary>
        public string? RemoteAddress => _entry.RemoteAddress;

        /// <summary>Peer port; 0 when there is no peer; null for a UNIX socket.</summary>
        public int? RemotePort => _entry.RemotePort;

        /// <summary>Where the local endpoint can be reached from; null for a UNIX socket.</summary>
        public Exposure? Exposure => _entry.Exposure;

        /// <summary>For an IPv6 listening or bound socket: whether it takes IPv6 only; null otherwise or when unknown.</summary>
        public bool? IPv6Only => _entry.IPv6Only;

        /// <summary>Owning process; for a socket now in TIME_WAIT, the owner it had while it was open.</summary>
        public int? ProcessId => _entry.ProcessId;

        /// <summary>Name of the owning process.</summary>
        public string? ProcessName => _entry.ProcessName;

        /// <summary>The owning process's command line (Linux).</summary>
        public string? CommandLine => _entry.CommandLine;

        /// <summary>The systemd service the owning process runs in (Linux).</summary>
        public string? ServiceName => _entry.ServiceName;

        /// <summary>The short id of the container the owning process runs in (Linux).</summary>
        public string? ContainerId => _entry.ContainerId;

        /// <summary>Every process that held the socket when it was first seen, lowest pid first.</summary>
        public SocketOwnerList? Owners => _entry.Owners;

        /// <summary>User id owning the socket.</summary>
        public long? UserId => _entry.UserId;

        /// <summary>Name of that user.</summary>
        public string? UserName => _entry.UserName;

        /// <summary>Inode of the socket file; null for TIME_WAIT.</summary>
        public long? Inode => _entry.Inode;

        /// <summary>Receive queue when the change was seen.</summary>
        public long? ReceiveQueue => _entry.ReceiveQueue;

        /// <summary>Send queue when the change was seen.</summary>
        public long? SendQueue => _entry.SendQueue;

        /// <summary>The kernel timer pending when the change was seen.</summary>
        public SocketTimer? Timer => _entry.Timer;

        /// <summary>Milliseconds until that timer fires.</summary>
        public long? TimerRemainingMs => _entry.TimerRemainingMs;

        /// <summary>Retransmissions or probes so far.</summary>
        public int? Retransmits => _entry.Retransmits;

        /// <summary>Interface the socket is bound to, if any.</summary>
        public int? InterfaceIndex => _entry.InterfaceIndex;

        /// <summary>The kernel's socket cookie (netlink reader only).</summary>
        public ulong? Cookie => _entry.Cookie;

        /// <summary>The network namespace of the socket when the watch named namespaces; null for PowerShell's own.</summary>
        public string? NetworkNamespace => _entry.NetworkNamespace;

        /// <summary>The socket as it was last seen (for Closed: before it went).</summary>
        internal SocketEntry Entry => _entry;

        /// <summary>"Opened tcp ESTAB 127.0.0.1:80 ...", "Changed Established->TimeWait tcp ...", "Closed TimeWait tcp ...": the change, then the socket as ss prints it.</summary>
        public override string ToString() => ChangeType switch
        {
            ChangeType.Changed => $"{ChangeType} {PreviousState}->{State} {_entry}",
            ChangeType.Closed when PreviousState is not null => $"{ChangeType} {PreviousState} {_entry}",
            _ => $"{ChangeType} {_entry}",
        };
    }
}
