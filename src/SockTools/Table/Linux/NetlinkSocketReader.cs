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
    internal sealed unsafe class NetlinkSocketReader
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

        // A signal or a full buffer can fail a send, and a burst of new sockets can overflow a dump; a few
        // tries absorb that, more would hide a real problem.
        private const int MaxSendAttempts = 5;
        private const int MaxDumpAttempts = 3;

        private static uint _sequence;


        internal void Read(SocketQuery query, List<SocketRecord> sink)
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
                    uint mask = KernelStates.MaskFor(query, dump.Protocol);
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

        /// <summary>
        /// One dump. A dump the kernel cut short because our socket's queue overflowed (recv fails with ENOBUFS)
        /// is run again from the start, its partial rows dropped; a second overflow in a row is an error.
        /// </summary>
        private static void RunDump(int fd, byte[] buffer, SocketProtocol protocol, byte number, byte family, uint mask, byte[]? bytecode, SocketQuery query, List<SocketRecord> sink)
        {
            int before = sink.Count;
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    DumpOnce(fd, buffer, protocol, number, family, mask, bytecode, query, sink);
                    return;
                }
                catch (NativeCallException e) when (e.ErrorNumber == Libc.ENOBUFS && e.Call == "recv" && attempt < MaxDumpAttempts)
                {
                    sink.RemoveRange(before, sink.Count - before);
                    Drain(fd, buffer); // what is left of the broken dump must not be read as the new one
                }
            }
        }

        private static void DumpOnce(int fd, byte[] buffer, SocketProtocol protocol, byte number, byte family, uint mask, byte[]? bytecode, SocketQuery query, List<SocketRecord> sink)
        {
            byte extensions = query.IncludeTcpInfo && protocol == SocketProtocol.Tcp ? InetDiag.TcpInfoExtensions : (byte)0;
            byte[] request = InetDiagRequest.Dump(family, number, mask, ++_sequence, bytecode, extensions);
            Send(fd, request);

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

        /// <summary>Sends the request to the kernel, again after EINTR or EAGAIN (a signal, a full send buffer).</summary>
        private static void Send(int fd, byte[] request)
        {
            byte* kernel = stackalloc byte[12];
            for (int i = 0; i < 12; i++)
            {
                kernel[i] = 0;
            }

            *(ushort*)kernel = Libc.AF_NETLINK; // sockaddr_nl { nl_family = AF_NETLINK, nl_pid = 0 (kernel), nl_groups = 0 }
            for (int attempt = 1; ; attempt++)
            {
                fixed (byte* r = request)
                {
                    if (Libc.sendto(fd, r, request.Length, 0, kernel, 12) >= 0)
                    {
                        return;
                    }
                }

                int errno = Errno.Last;
                if ((errno != Libc.EINTR && errno != Libc.EAGAIN) || attempt >= MaxSendAttempts)
                {
                    throw new NativeCallException("sendto", errno, "sock_diag request");
                }

                if (errno == Libc.EAGAIN)
                {
                    System.Threading.Thread.Sleep(attempt); // give the kernel a moment to drain
                }
            }
        }

        /// <summary>Reads and drops whatever is queued on the socket, without waiting.</summary>
        private static void Drain(int fd, byte[] buffer)
        {
            fixed (byte* b = buffer)
            {
                while (Libc.recv(fd, b, buffer.Length, Libc.MSG_DONTWAIT) > 0)
                {
                }
            }
        }
    }
}
