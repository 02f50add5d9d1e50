namespace SockTools.Table.Linux
{
    /// <summary>Builds the bytes of one unix_diag dump request: nlmsghdr + unix_diag_req.</summary>
    internal static class UnixDiagRequest
    {
        internal const int Length = InetDiag.NlmsgHeaderLength + UnixDiag.RequestLength;

        internal static byte[] Dump(uint stateMask, uint sequence, uint show)
        {
            byte[] b = InetDiagRequest.Message(Length, InetDiag.SOCK_DIAG_BY_FAMILY, InetDiag.NLM_F_REQUEST | InetDiag.NLM_F_DUMP, sequence);
            int r = InetDiag.NlmsgHeaderLength;
            b[r] = UnixDiag.AF_UNIX;
            // sdiag_protocol and pad stay 0.
            Wire.PutU32(b, r + 4, stateMask);
            // udiag_ino and udiag_cookie stay 0: a dump matches every socket.
            Wire.PutU32(b, r + 12, show);
            return b;
        }
    }
}
