namespace SockTools.Table.Linux
{
    /// <summary>
    /// Builds the bytes of sock_diag requests: a dump (nlmsghdr + inet_diag_req_v2 [+ bytecode attribute]), or the
    /// destruction of one socket named by its exact id.
    /// </summary>
    internal static class InetDiagRequest
    {
        internal const int Length = InetDiag.NlmsgHeaderLength + InetDiag.RequestLength;

        internal static byte[] Dump(byte family, byte protocol, uint stateMask, uint sequence, byte[]? bytecode = null, byte extensions = 0)
        {
            int attributeLength = bytecode is null ? 0 : 4 + bytecode.Length;
            int total = Length + InetDiag.Align(attributeLength);
            byte[] b = Message(total, InetDiag.SOCK_DIAG_BY_FAMILY, InetDiag.NLM_F_REQUEST | InetDiag.NLM_F_DUMP, sequence);
            int r = InetDiag.NlmsgHeaderLength;
            b[r] = family;
            b[r + 1] = protocol;
            b[r + 2] = extensions; // idiag_ext: which extra attributes (tcp_info, congestion control) to send
            Wire.PutU32(b, r + 4, stateMask);
            // inet_diag_sockid stays zero: a dump matches every socket.

            if (bytecode is not null)
            {
                Wire.PutU16(b, Length, (ushort)attributeLength);
                Wire.PutU16(b, Length + 2, InetDiagBytecode.INET_DIAG_REQ_BYTECODE);
                System.Buffer.BlockCopy(bytecode, 0, b, Length + 4, bytecode.Length);
            }

            return b;
        }

        /// <summary>
        /// A dump of TCP sockets of both families in one walk of the kernel's tables (TCPDIAG_GETSOCK, whose request
        /// has no family: the kernel dumps AF_UNSPEC). Two SOCK_DIAG_BY_FAMILY dumps walk every TCP socket twice,
        /// once to send the IPv4 ones and once to skip them while looking for IPv6 ones: at 60,000 sockets that second
        /// walk is about a fifth of the kernel's time. No bytecode: filtered reads keep the per-family dumps.
        /// </summary>
        internal static byte[] TcpDump(uint stateMask, uint sequence, byte extensions = 0)
        {
            const int total = InetDiag.NlmsgHeaderLength + InetDiag.TcpRequestLength;
            byte[] b = Message(total, InetDiag.TCPDIAG_GETSOCK, InetDiag.NLM_F_REQUEST | InetDiag.NLM_F_DUMP, sequence);
            int r = InetDiag.NlmsgHeaderLength;
            // idiag_family, idiag_src_len and idiag_dst_len stay zero: every socket of both families.
            b[r + 3] = extensions;
            Wire.PutU32(b, r + 4 + InetDiag.SockIdLength, stateMask);
            // inet_diag_sockid and idiag_dbs stay zero.
            return b;
        }

        /// <summary>
        /// SOCK_DESTROY for one socket: its addresses and ports as the table showed them (an IPv4 peer of a
        /// dual-stack socket stays ::ffff:a.b.c.d; the kernel looks it up that way), the device it is bound to,
        /// and its cookie, so that a different socket which took the same addresses since is never the one
        /// destroyed (the kernel answers ENOENT instead, as for a socket that is gone). Without a cookie (the /proc reader cannot see it) the
        /// kernel takes whichever socket holds the addresses now.
        /// </summary>
        internal static byte[] Destroy(byte protocol, AddressValue local, ushort localPort, AddressValue remote, ushort remotePort, uint interfaceIndex, ulong? cookie, uint sequence)
        {
            byte[] b = Message(Length, InetDiag.SOCK_DESTROY, InetDiag.NLM_F_REQUEST | InetDiag.NLM_F_ACK, sequence);
            int r = InetDiag.NlmsgHeaderLength;
            b[r] = local.IsV6 ? InetDiag.AF_INET6 : InetDiag.AF_INET;
            b[r + 1] = protocol;
            // idiag_ext, pad and idiag_states stay zero: the kernel ignores them for a request about one socket.

            int id = r + 8;
            Wire.PutBigEndianU16(b, id, localPort);
            Wire.PutBigEndianU16(b, id + 2, remotePort);
            local.CopyTo(b, id + 4);
            remote.CopyTo(b, id + 20);
            Wire.PutU32(b, id + 36, interfaceIndex);
            Wire.PutU32(b, id + 40, cookie is ulong c ? (uint)c : InetDiag.NoCookie);
            Wire.PutU32(b, id + 44, cookie is ulong k ? (uint)(k >> 32) : InetDiag.NoCookie);
            return b;
        }

        /// <summary>
        /// A request of <paramref name="length"/> bytes, zeroed, with its nlmsghdr written: length, type, flags and
        /// sequence; nlmsg_pid stays 0, which addresses the kernel.
        /// </summary>
        internal static byte[] Message(int length, ushort type, ushort flags, uint sequence)
        {
            var b = new byte[length];
            Wire.PutU32(b, 0, (uint)length);
            Wire.PutU16(b, 4, type);
            Wire.PutU16(b, 6, flags);
            Wire.PutU32(b, 8, sequence);
            return b;
        }
    }
}
