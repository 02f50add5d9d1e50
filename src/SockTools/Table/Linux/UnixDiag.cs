namespace SockTools.Table.Linux
{
    /// <summary>
    /// Sizes, offsets and constants of the unix_diag wire format (include/uapi/linux/unix_diag.h), carried in the
    /// same netlink sock_diag messages as inet_diag (see <see cref="InetDiag"/>). All fields are in host byte order.
    /// </summary>
    internal static class UnixDiag
    {
        internal const byte AF_UNIX = 1;

        // struct unix_diag_req: u8 family, u8 protocol, u16 pad, u32 states, u32 ino, u32 show, u32 cookie[2]
        internal const int RequestLength = 24;

        // struct unix_diag_msg: u8 family, u8 type, u8 state, u8 pad, u32 ino, u32 cookie[2]
        internal const int MessageLength = 16;

        // udiag_show: which attributes the kernel adds to each message.
        internal const uint UDIAG_SHOW_NAME = 0x01;
        internal const uint UDIAG_SHOW_VFS = 0x02;
        internal const uint UDIAG_SHOW_PEER = 0x04;
        internal const uint UDIAG_SHOW_RQLEN = 0x10;
        internal const uint UDIAG_SHOW_MEMINFO = 0x20;
        internal const uint UDIAG_SHOW_UID = 0x40; // kernel 5.3+; older kernels leave the attribute out

        /// <summary>What every dump asks for: name, file, peer, queues and owning uid.</summary>
        internal const uint ShowAlways = UDIAG_SHOW_NAME | UDIAG_SHOW_VFS | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;

        // Attribute types after unix_diag_msg.
        internal const ushort UNIX_DIAG_NAME = 0;
        internal const ushort UNIX_DIAG_VFS = 1;
        internal const ushort UNIX_DIAG_PEER = 2;
        internal const ushort UNIX_DIAG_ICONS = 3;
        internal const ushort UNIX_DIAG_RQLEN = 4;
        internal const ushort UNIX_DIAG_MEMINFO = 5;
        internal const ushort UNIX_DIAG_SHUTDOWN = 6;
        internal const ushort UNIX_DIAG_UID = 7;

        // Socket types (the udiag_type byte and the Type column of /proc/net/unix).
        internal const byte SOCK_STREAM = 1;
        internal const byte SOCK_DGRAM = 2;
        internal const byte SOCK_SEQPACKET = 5;

        /// <summary>The socket kind a type number names; false for a type a UNIX socket cannot have.</summary>
        internal static bool TryGetType(int number, out UnixSocketType type)
        {
            switch (number)
            {
                case SOCK_STREAM:
                    type = UnixSocketType.Stream;
                    return true;
                case SOCK_DGRAM:
                    type = UnixSocketType.Datagram;
                    return true;
                case SOCK_SEQPACKET:
                    type = UnixSocketType.SeqPacket;
                    return true;
                default:
                    type = default;
                    return false;
            }
        }
    }
}
