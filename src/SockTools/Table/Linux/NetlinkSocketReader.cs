using System;
using System.Collections.Generic;
using SockTools.Interop;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Reads the table with netlink sock_diag dumps, one per protocol and family (inet_diag), and one of UNIX
    /// sockets (unix_diag), asking the kernel only for the states the query wants.
    /// </summary>
    internal sealed class NetlinkSocketReader
    {
        // The kernel fills each dump reply up to the largest read seen, capped near 32 KiB: more buys nothing.
        private const int ReceiveBufferSize = 32 * 1024;

        // A burst of new sockets can overflow a dump; a few restarts absorb that, more would hide a real problem.
        private const int MaxDumpAttempts = 3;

        private const string Request = "sock_diag request";
        private const string Reply = "sock_diag reply";

        private static readonly (SocketProtocol Protocol, byte Number, byte Family)[] Dumps =
        {
            (SocketProtocol.Tcp, InetDiag.IPPROTO_TCP, InetDiag.AF_INET),
            (SocketProtocol.Tcp, InetDiag.IPPROTO_TCP, InetDiag.AF_INET6),
            (SocketProtocol.Udp, InetDiag.IPPROTO_UDP, InetDiag.AF_INET),
            (SocketProtocol.Udp, InetDiag.IPPROTO_UDP, InetDiag.AF_INET6),
        };

        private static uint _sequence;

        // Set once a kernel refuses TCPDIAG_GETSOCK (it could be built or patched without it): the per-family dumps then
        // serve every later read of this process without asking again.
        private static volatile bool _tcpInOneWalkRefused;

        internal void Read(SocketQuery query, List<SocketRecord> sink)
        {
            using NetlinkSocket socket = NetlinkSocket.Open(Libc.NETLINK_SOCK_DIAG, "AF_NETLINK, NETLINK_SOCK_DIAG");
            var buffer = new byte[ReceiveBufferSize];
            byte[]? bytecode = InetDiagBytecode.Compile(query);
            bool tcpDone = bytecode is null && TryTcpInOneWalk(socket, buffer, query, sink);
            foreach (var dump in Dumps)
            {
                if (tcpDone && dump.Protocol == SocketProtocol.Tcp)
                {
                    continue;
                }

                uint mask = KernelStates.MaskFor(query, dump.Protocol);
                bool familyWanted = dump.Family == InetDiag.AF_INET6 ? query.IncludeIPv6 : query.IncludeIPv4;
                if (mask != 0 && familyWanted)
                {
                    byte extensions = Extensions(query, dump.Protocol);
                    (byte protocol, byte family) = (dump.Number, dump.Family);
                    RunDump(socket, buffer, sequence => InetDiagRequest.Dump(family, protocol, mask, sequence, bytecode, extensions),
                        (b, length) => InetDiagParser.Parse(b, length, dump.Protocol, query, sink), sink);
                }
            }

            uint unixMask = KernelStates.MaskFor(query, SocketProtocol.Unix);
            if (unixMask != 0)
            {
                uint show = UnixDiag.ShowAlways | (query.IncludeMemoryInfo ? UnixDiag.UDIAG_SHOW_MEMINFO : 0);
                RunDump(socket, buffer, sequence => UnixDiagRequest.Dump(unixMask, sequence, show),
                    (b, length) => UnixDiagParser.Parse(b, length, query, sink), sink);
            }
        }

        /// <summary>
        /// TCP sockets of both families in one dump (<see cref="InetDiagRequest.TcpDump"/>), when the query wants both and
        /// has no port or address filter for the kernel; false when it does not apply or the kernel refuses the request.
        /// </summary>
        private static bool TryTcpInOneWalk(NetlinkSocket socket, byte[] buffer, SocketQuery query, List<SocketRecord> sink)
        {
            uint mask = KernelStates.MaskFor(query, SocketProtocol.Tcp);
            if (mask == 0 || !query.IncludeIPv4 || !query.IncludeIPv6 || _tcpInOneWalkRefused)
            {
                return false;
            }

            byte extensions = Extensions(query, SocketProtocol.Tcp);
            int before = sink.Count;
            try
            {
                RunDump(socket, buffer, sequence => InetDiagRequest.TcpDump(mask, sequence, extensions),
                    (b, length) => InetDiagParser.Parse(b, length, SocketProtocol.Tcp, query, sink), sink);
                return true;
            }
            catch (NetlinkErrorException)
            {
                // The kernel answers an unknown request type at once, before any socket: nothing to take back but to be sure.
                sink.RemoveRange(before, sink.Count - before);
                _tcpInOneWalkRefused = true;
                return false;
            }
        }

        /// <summary>The idiag_ext bits a dump of <paramref name="protocol"/> asks for: TCP internals (TCP only) and memory.</summary>
        private static byte Extensions(SocketQuery query, SocketProtocol protocol)
            => (byte)((query.IncludeTcpInfo && protocol == SocketProtocol.Tcp ? InetDiag.TcpInfoExtensions : 0)
                | (query.IncludeMemoryInfo ? InetDiag.MemoryInfoExtension : 0));

        /// <summary>
        /// One dump. A dump the kernel cut short because our socket's queue overflowed (recv fails with ENOBUFS)
        /// is run again from the start, its partial rows dropped; overflowing every time is an error.
        /// </summary>
        /// <param name="socket">The sock_diag socket.</param>
        /// <param name="buffer">Where each reply is received.</param>
        /// <param name="request">The request bytes for a sequence number.</param>
        /// <param name="parse">Parses one reply into the sink; true once the dump ended.</param>
        /// <param name="sink">The rows so far, of which a failed attempt's are dropped.</param>
        private static void RunDump(NetlinkSocket socket, byte[] buffer, Func<uint, byte[]> request, Func<byte[], int, bool> parse, List<SocketRecord> sink)
        {
            int before = sink.Count;
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    DumpOnce(socket, buffer, request(++_sequence), parse);
                    return;
                }
                catch (NativeCallException e) when (e.Errno == Errno.ENOBUFS && e.Call == "recv" && attempt < MaxDumpAttempts)
                {
                    sink.RemoveRange(before, sink.Count - before);
                    socket.Discard(buffer); // what is left of the broken dump must not be read as the new one
                }
            }
        }

        private static void DumpOnce(NetlinkSocket socket, byte[] buffer, byte[] request, Func<byte[], int, bool> parse)
        {
            socket.Send(request, Request);
            bool done = false;
            while (!done)
            {
                int received = socket.Receive(buffer, wait: true, Reply);
                if (received == 0)
                {
                    throw new SocketTableFormatException("The sock_diag socket closed before the dump ended.");
                }

                done = parse(buffer, received);
            }
        }
    }
}
