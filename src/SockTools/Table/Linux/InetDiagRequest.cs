namespace SockTools.Table.Linux
{
    /// <summary>Builds the bytes of one sock_diag dump request: nlmsghdr + inet_diag_req_v2 [+ bytecode attribute].</summary>
    internal static class InetDiagRequest
    {
        internal const int Length = InetDiag.NlmsgHeaderLength + InetDiag.RequestLength;

        internal static byte[] Dump(byte family, byte protocol, uint stateMask, uint sequence, byte[]? bytecode = null, byte extensions = 0)
        {
            int attributeLength = bytecode is null ? 0 : 4 + bytecode.Length;
            int total = Length + InetDiag.Align(attributeLength);
            var b = new byte[total];
            Wire.PutU32(b, 0, (uint)total);
            Wire.PutU16(b, 4, InetDiag.SOCK_DIAG_BY_FAMILY);
            Wire.PutU16(b, 6, InetDiag.NLM_F_REQUEST | InetDiag.NLM_F_DUMP);
            Wire.PutU32(b, 8, sequence);
            // nlmsg_pid 0: addressed to the kernel.
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
    }
}
