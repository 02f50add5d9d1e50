using System.Collections.Generic;
using SockTools.Interop;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Reads the table with netlink sock_diag dumps, one per protocol and family, asking the
    /// kernel only for the states the query wants.
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

        internal void Read(SocketQuery query, List<SocketRecord> sink)
        {
            using NetlinkSocket socket = NetlinkSocket.Open(Libc.NETLINK_SOCK_DIAG, "AF_NETLINK, NETLINK_SOCK_DIAG");
            var buffer = new byte[ReceiveBufferSize];
            byte[]? bytecode = InetDiagBytecode.Compile(query);
            foreach (var dump in Dumps)
            {
                uint mask = KernelStates.MaskFor(query, dump.Protocol);
                bool familyWanted = dump.Family == InetDiag.AF_INET6 ? query.IncludeIPv6 : query.IncludeIPv4;
                if (mask != 0 && familyWanted)
                {
                    RunDump(socket, buffer, dump.Protocol, dump.Number, dump.Family, mask, bytecode, query, sink);
                }
            }
        }

        /// <summary>
        /// One dump. A dump the kernel cut short because our socket's queue overflowed (recv fails with ENOBUFS)
        /// is run again from the start, its partial rows dropped; overflowing every time is an error.
        /// </summary>
        private static void RunDump(NetlinkSocket socket, byte[] buffer, SocketProtocol protocol, byte number, byte family, uint mask, byte[]? bytecode, SocketQuery query, List<SocketRecord> sink)
        {
            int before = sink.Count;
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    DumpOnce(socket, buffer, protocol, number, family, mask, bytecode, query, sink);
                    return;
                }
                catch (NativeCallException e) when (e.Errno == Errno.ENOBUFS && e.Call == "recv" && attempt < MaxDumpAttempts)
                {
                    sink.RemoveRange(before, sink.Count - before);
                    socket.Discard(buffer); // what is left of the broken dump must not be read as the new one
                }
            }
        }

        private static void DumpOnce(NetlinkSocket socket, byte[] buffer, SocketProtocol protocol, byte number, byte family, uint mask, byte[]? bytecode, SocketQuery query, List<SocketRecord> sink)
        {
            byte extensions = query.IncludeTcpInfo && protocol == SocketProtocol.Tcp ? InetDiag.TcpInfoExtensions : (byte)0;
            socket.Send(InetDiagRequest.Dump(family, number, mask, ++_sequence, bytecode, extensions), Request);

            bool done = false;
            while (!done)
            {
                int received = socket.Receive(buffer, wait: true, Reply);
                if (received == 0)
                {
                    throw new SocketTableFormatException("The sock_diag socket closed before the dump ended.");
                }

                done = InetDiagParser.Parse(buffer, received, protocol, query, sink);
            }
        }
    }
}
