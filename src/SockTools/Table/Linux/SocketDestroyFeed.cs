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
    internal sealed class SocketDestroyFeed : IDestroyFeed
    {
        // SKNLGRP_INET_TCP_DESTROY = 1, INET_UDP = 2, INET6_TCP = 3, INET6_UDP = 4: group n is bit n-1.
        private const uint AllDestroyGroups = 0xF;
        private const int ReceiveBufferBytes = 8 * 1024 * 1024;
        private const string What = "sock_diag destroy groups";

        private readonly NetlinkSocket _socket;
        private readonly NamespaceTag? _where;
        private readonly byte[] _buffer = new byte[64 * 1024];

        private SocketDestroyFeed(NetlinkSocket socket, NamespaceTag? where)
        {
            _socket = socket;
            _where = where;
        }

        /// <summary>True when the kernel dropped notifications because we read too slowly.</summary>
        public bool Overflowed { get; private set; }

        /// <summary>
        /// Joins the destroy groups of the calling thread's network namespace (the kernel tells each namespace's sockets
        /// to listeners in that namespace only); what it reports is tagged with <paramref name="where"/>. Null with a
        /// reason when this process may not (not root) or the kernel lacks them.
        /// </summary>
        internal static SocketDestroyFeed? TryOpen(NamespaceTag? where, out string? reason)
        {
            NetlinkSocket? socket = null;
            try
            {
                socket = NetlinkSocket.Open(Libc.NETLINK_SOCK_DIAG, "AF_NETLINK, NETLINK_SOCK_DIAG");
                socket.Join(AllDestroyGroups, What);

                // A burst of closes must not overflow the queue between two polls.
                socket.RequestReceiveBuffer(ReceiveBufferBytes);
                reason = null;
                return new SocketDestroyFeed(socket, where);
            }
            catch (NativeCallException e)
            {
                socket?.Dispose();
                reason = e.Message;
                return null;
            }
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
                int received;
                try
                {
                    received = _socket.Receive(_buffer, wait: false, What);
                }
                catch (NativeCallException e) when (e.Errno == Errno.ENOBUFS)
                {
                    Overflowed = true; // the kernel says it dropped some; keep reading what is left
                    continue;
                }

                if (received == 0)
                {
                    return rows; // nothing more queued
                }

                // Each message names its protocol in an INET_DIAG_PROTOCOL attribute; TCP is the default guess.
                int before = rows.Count;
                InetDiagParser.Parse(_buffer, received, SocketProtocol.Tcp, query, rows);
                for (int i = before; i < rows.Count && _where is not null; i++)
                {
                    SocketRecord row = rows[i];
                    row.Namespace = _where;
                    rows[i] = row;
                }
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
