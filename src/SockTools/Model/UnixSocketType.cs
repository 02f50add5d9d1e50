namespace SockTools
{
    /// <summary>The kind of a UNIX domain socket (ss shows them as u_str, u_dgr and u_seq). Long-based, like every output enum.</summary>
    public enum UnixSocketType : long
    {
        /// <summary>SOCK_STREAM: a byte stream, connected (u_str).</summary>
        Stream,
        /// <summary>SOCK_DGRAM: datagrams, connected or not (u_dgr).</summary>
        Datagram,
        /// <summary>SOCK_SEQPACKET: connected, with message boundaries (u_seq).</summary>
        SeqPacket,
    }
}
