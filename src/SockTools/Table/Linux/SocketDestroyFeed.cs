using System;
using System.Collections.Generic;
using SockTools.Interop;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// The kernel's sock_diag destroy notifications (SKNLGRP_INET*_DESTROY multicast groups): one message
    /// for every TCP or UDP socket the kernel frees. Polling cannot see a connection that opens and closes
    /// between two looks; this feed can. Joining the groups needs CAP_NET_ADMIN, so it is root-only.
    /// </summary>
    internal sealed unsafe class SocketDestroyFeed : IDestroyFeed
    {
        // SKNLGRP_INET_TCP_DESTROY = 1, INET_UDP = 2, INET6_TCP = 3, INET6_UDP = 4: group n is bit n-1.
        private const uint AllDestroyGroups = 0xF;
        private const int ReceiveBufferBytes = 8 * 1024 * 1024;

        private readonly int _fd;
        private readonly byte[] _buffer = new byte[64 * 1024];

        private SocketDestroyFeed(int fd) => _fd = fd;

        /// <summary>True when the kernel dropped notifications because we read too slowly.</summary>
        public bool Overflowed { get; private set; }

        /// <summary>Joins the destroy groups; null with a reason when this process may not (not root) or the kernel lacks them.</summary>
        internal static SocketDestroyFeed? TryOpen(out string? reason)
        {
            int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_SOCK_DIAG);
            if (fd < 0)
            {
                reason = Errno.Exception("socket", "AF_NETLINK, NETLINK_SOCK_DIAG").Message;
                return null;
            }

            // sockaddr_nl { u16 nl_family; u16 pad; u32 nl_pid; u32 nl_groups }
            byte* address = stackalloc byte[12];
            for (int i = 0; i < 12; i++)
            {
                address[i] = 0;
            }

            *(ushort*)address = Libc.AF_NETLINK;
            *(uint*)(address + 8) = AllDestroyGroups;
            if (Libc.bind(fd, address, 12) < 0)
            {
                reason = Errno.Exception("bind", "sock_diag destroy groups").Message;
                Libc.close(fd);
                return null;
            }

            // A burst of closes must not overflow the queue between two polls; FORCE works for root, plain is the fallback.
            int size = ReceiveBufferBytes;
            if (Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, &size, sizeof(int)) < 0)
            {
                Libc.setsockopt(fd, Libc.SOL_SOCKET, Libc.SO_RCVBUF, &size, sizeof(int));
            }

            reason = null;
            return new SocketDestroyFeed(fd);
        }

        /// <summary>Everything destroyed since the last drain that passes the query's row filters.</summary>
        public List<SocketEntry> Drain(SocketQuery query)
        {
            try
            {
                return SocketEntryBuilder.WithoutOwners(ReadRows(query));
            }
            catch (Exception e) when (SocketTableException.IsReaderFailure(e))
            {
                throw SocketTableException.ReadFailed(e);
            }
        }

        private List<SocketRecord> ReadRows(SocketQuery query)
        {
            var rows = new List<SocketRecord>();
            while (true)
            {
                nint received;
                fixed (byte* b = _buffer)
                {
                    received = Libc.recv(_fd, b, _buffer.Length, Libc.MSG_DONTWAIT);
                }

                if (received < 0)
                {
                    int errno = Errno.Last;
                    if (errno == Libc.EINTR)
                    {
                        continue;
                    }

                    if (errno == Libc.ENOBUFS)
                    {
                        Overflowed = true; // the kernel says it dropped some; keep reading what is left
                        continue;
                    }

                    return rows; // EAGAIN: nothing more queued
                }

                if (received == 0)
                {
                    return rows;
                }

                // Each message names its protocol in an INET_DIAG_PROTOCOL attribute; TCP is the default guess.
                InetDiagParser.Parse(_buffer, (int)received, SocketProtocol.Tcp, query, rows);
            }
        }

        public void Dispose() => Libc.close(_fd);
    }
}
