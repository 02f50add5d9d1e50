namespace SockTools
{
    /// <summary>
    /// What -Protocol accepts: every <see cref="SocketProtocol"/> plus All, which stands for every protocol this
    /// system's reader has (on Linux Tcp, Udp and Unix; on Windows and macOS Tcp and Udp). All is a word of the
    /// filter only: no socket is of protocol All.
    /// </summary>
    public enum SocketProtocolFilter
    {
        /// <summary>TCP sockets.</summary>
        Tcp,
        /// <summary>UDP sockets.</summary>
        Udp,
        /// <summary>UNIX domain sockets (Linux).</summary>
        Unix,
        /// <summary>Every protocol this system's reader has.</summary>
        All,
    }
}
