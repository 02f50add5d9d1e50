using System;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Closes sockets with netlink sock_diag SOCK_DESTROY, as ss -K does: one request per socket, naming it by its
    /// exact id, answered by the kernel with an errno. The kernel aborts the socket (the owner's next call fails
    /// with ECONNABORTED, a TCP peer gets a reset) and the owning process lives on. One netlink socket serves
    /// every request of a command.
    /// </summary>
    internal sealed class NetlinkSocketCloser : ISocketCloser
    {
        private const string What = "sock_diag destroy request";

        private const string NeedsCapability =
            "Closing a socket of any process needs CAP_NET_ADMIN in this network namespace: run PowerShell as root (sudo). Without it the kernel refuses every socket.";

        private const string NoDestroyInKernel =
            "This kernel cannot close sockets from outside: it was built without CONFIG_INET_DIAG_DESTROY (ss -K fails the same way). Stop the owning process instead.";

        private const string UnixNotClosable =
            "the kernel closes TCP and UDP sockets from outside (SOCK_DESTROY), never UNIX domain sockets";

        private const string UnixNotClosableAdvice =
            "To end a UNIX connection, stop the process at either end (ProcessId, PeerProcessId).";

        private readonly NetlinkSocket _socket;
        private readonly byte[] _buffer = new byte[8 * 1024];
        private uint _sequence;

        private NetlinkSocketCloser(NetlinkSocket socket) => _socket = socket;

        /// <exception cref="SocketTableException">No netlink socket could be opened (a sandbox, a kernel without sock_diag).</exception>
        internal static NetlinkSocketCloser Open()
        {
            try
            {
                return new NetlinkSocketCloser(NetlinkSocket.Open(Libc.NETLINK_SOCK_DIAG, "AF_NETLINK, NETLINK_SOCK_DIAG"));
            }
            catch (Exception e) when (SocketTableException.IsReaderFailure(e))
            {
                throw SocketTableException.CloseFailed(e);
            }
        }

        public SocketCloseOutcome Close(SocketEntry entry)
        {
            if (entry.Protocol == SocketProtocol.Unix || entry.LocalPort is null || entry.RemotePort is null)
            {
                // unix_diag has no destroy request: SOCK_DESTROY reaches TCP and UDP sockets only (and a UNIX socket
                // has no addresses to name it by). The command refuses UNIX sockets before this; kept as the last guard.
                return new SocketCloseOutcome(SocketCloseResult.Unsupported, UnixNotClosable, UnixNotClosableAdvice);
            }

            if (entry.Protocol == SocketProtocol.Tcp && entry.State == SocketState.Bound)
            {
                // The kernel finds the socket to destroy by its connection or its listening address; a socket that
                // is only bound has neither, so the request would say ENOENT as if it were gone.
                return new SocketCloseOutcome(SocketCloseResult.StateUnsupported, "a TCP socket that is only bound (neither listening nor connected) cannot be closed from outside: the kernel finds sockets to close by their connection or listening address", null);
            }

            try
            {
                uint sequence = ++_sequence;
                byte protocol = entry.Protocol == SocketProtocol.Udp ? InetDiag.IPPROTO_UDP : InetDiag.IPPROTO_TCP;
                _socket.Send(InetDiagRequest.Destroy(protocol, entry.LocalValue, (ushort)entry.LocalPort.Value, entry.RemoteValue, (ushort)entry.RemotePort.Value, (uint)(entry.InterfaceIndex ?? 0), entry.Cookie, sequence), What);
                return Outcome(entry, AwaitAnswer(sequence));
            }
            catch (Exception e) when (SocketTableException.IsReaderFailure(e))
            {
                throw SocketTableException.CloseFailed(e);
            }
        }

        public void Dispose() => _socket.Dispose();

        private Errno AwaitAnswer(uint sequence)
        {
            while (true)
            {
                int received = _socket.Receive(_buffer, wait: true, What);
                if (received == 0)
                {
                    throw new SocketTableFormatException("The sock_diag socket closed before the kernel answered the destroy request.");
                }

                if (DestroyAnswer.Read(_buffer, received, sequence) is Errno errno)
                {
                    return errno;
                }
            }
        }

        private static SocketCloseOutcome Outcome(SocketEntry entry, Errno errno)
        {
            string said = LastError.Describe(errno);
            switch (errno)
            {
                case Errno.None:
                    return SocketCloseOutcome.Closed;
                case Errno.ENOENT:
                    // Also the answer when the lookup by addresses finds a socket whose cookie is not the one asked for.
                    return new SocketCloseOutcome(SocketCloseResult.Gone, "it was already gone", null);
                case Errno.EPERM:
                case Errno.EACCES:
                    return new SocketCloseOutcome(SocketCloseResult.Denied, "the kernel refused: " + said, NeedsCapability);
                case Errno.EOPNOTSUPP when entry.State == SocketState.TimeWait:
                    // tcp_abort() learnt TIME_WAIT sockets in Linux 6.0; before, it refused them alone.
                    return new SocketCloseOutcome(SocketCloseResult.StateUnsupported, "this kernel does not close TIME_WAIT sockets (Linux 6.0 and later do); it frees the socket by itself when TimerRemainingMs runs out", null);
                case Errno.EOPNOTSUPP:
                    return new SocketCloseOutcome(SocketCloseResult.Unsupported, "the kernel cannot close sockets: " + said, NoDestroyInKernel);
                default:
                    return new SocketCloseOutcome(SocketCloseResult.Failed, "the kernel refused: " + said, null);
            }
        }
    }
}
