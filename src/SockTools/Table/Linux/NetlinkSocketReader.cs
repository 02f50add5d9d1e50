using System;
using System.Collections.Generic;
using SockTools.Interop;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Reads the table with netlink sock_diag dumps, one per protocol and family, asking the
    /// kernel only for the states the query wants.
    /// </summary>
    internal sealed unsafe class NetlinkSocketReader : ISocketTableReader
    {
        // The kernel fills each dump reply up to the largest read seen, capped near 32 KiB: more buys nothing.
        private const int ReceiveBufferSize = 32 * 1024;

        private static readonly (SocketProtocol Protocol, byte Number, byte Family)[] Dumps =
        {
            (SocketProtocol.Tcp, InetDiag.IPPROTO_TCP, InetDiag.AF_INET),
            (SocketProtocol.Tcp, InetDiag.IPPROTO_TCP, InetDiag.AF_INET6),
            (SocketProtocol.Udp, InetDiag.IPPROTO_UDP, InetDiag.AF_INET),
            (SocketProtocol.Udp, InetDiag.IPPROTO_UDP, InetDiag.AF_INET6),
        };

        private static uint _sequence;

        public string Name => "netlink";

        public void Read(SocketQuery query, List<SocketRecord> sink)
        {
            int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_SOCK_DIAG);
            if (fd < 0)
            {
                throw Errno.Exception("socket", "AF_NETLINK, NETLINK_SOCK_DIAG");
            }

            try
            {
                var buffer = new byte[ReceiveBufferSize];
                byte[]? bytecode = InetDiagBytecode.Compile(query);
                foreach (var dump in Dumps)
                {
                    uint mask = query.StateMaskFor(dump.Protocol);
                    bool familyWanted = dump.Family == InetDiag.AF_INET6 ? query.IncludeIPv6 : query.IncludeIPv4;
                    if (mask != 0 && familyWanted)
                    {
                        RunDump(fd, buffer, dump.Protocol, dump.Number, dump.Family, mask, bytecode, query, sink);
                    }
                }
            }
            finally
            {
                Libc.close(fd);
            }
        }

        private static void RunDump(int fd, byte[] buffer, SocketProtocol protocol, byte number, byte family, uint mask, byte[]? bytecode, SocketQuery query, List<SocketRecord> sink)
        {
            byte extensions = query.IncludeTcpInfo && protocol == SocketProtocol.Tcp ? InetDiag.TcpInfoExtensions : (byte)0;
            byte[] request = InetDiagRequest.Dump(family, number, mask, ++_sequence, bytecode, extensions);
            byte* kernel = stackalloc byte[12];
            for (int i = 0; i < 12; i++)
            {
                kernel[i] = 0;
            }

            *(ushort*)kernel = Libc.AF_NETLINK; // sockaddr_nl { nl_family = AF_NETLINK, nl_pid = 0 (kernel), nl_groups = 0 }
            fixed (byte* r = request)
            {
                if (Libc.sendto(fd, r, request.Length, 0, kernel, 12) < 0)
                {
                    throw Errno.Exception("sendto", "sock_diag request");
                }
            }

            bool done = false;
            while (!done)
            {
                nint received;
                fixed (byte* b = buffer)
                {
                    received = Libc.recv(fd, b, buffer.Length, 0);
                }

                if (received < 0)
                {
                    if (Errno.Last == Libc.EINTR)
                    {
                        continue;
                    }

                    throw Errno.Exception("recv", "sock_diag reply");
                }

                if (received == 0)
                {
                    throw new SocketTableFormatException("The sock_diag socket closed before the dump ended.");
                }

                done = InetDiagParser.Parse(buffer, (int)received, protocol, query, sink);
            }
        }
    }
}
