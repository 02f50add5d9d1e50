using System;

namespace SockTools.Table
{
    /// <summary>
    /// The kernel's answer did not have the shape a reader expects (truncated or malformed).
    /// The only exception the parsers raise for bad input.
    /// </summary>
    internal sealed class SocketTableFormatException : Exception
    {
        internal SocketTableFormatException(string message)
            : base(message)
        {
        }
    }

    /// <summary>The kernel refused a netlink request (NLMSG_ERROR) with this errno.</summary>
    internal sealed class NetlinkErrorException : Exception
    {
        internal NetlinkErrorException(int errno)
            : base($"The kernel answered the sock_diag request with {SockTools.Interop.LastError.Describe((SockTools.Interop.Errno)errno)}.")
        {
            ErrorNumber = errno;
        }

        internal int ErrorNumber { get; }
    }
}
