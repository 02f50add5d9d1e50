using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Reads the kernel's answer to one SOCK_DESTROY request: an NLMSG_ERROR whose error is 0 when the socket was
    /// destroyed (the request asked for an acknowledgement), else the negative errno. Pure: bytes in, errno out.
    /// </summary>
    internal static class DestroyAnswer
    {
        /// <summary>
        /// The errno the kernel answered request <paramref name="sequence"/> with (<see cref="Errno.None"/>: destroyed);
        /// null when these bytes hold no answer to it (messages for other sequence numbers are passed over).
        /// </summary>
        /// <exception cref="SocketTableFormatException">The bytes are truncated or malformed.</exception>
        internal static Errno? Read(byte[] buffer, int length, uint sequence)
        {
            if (length < 0 || length > buffer.Length)
            {
                throw new SocketTableFormatException($"Buffer length {length} is outside the buffer of {buffer.Length} bytes.");
            }

            int offset = 0;
            while (offset < length)
            {
                int remaining = length - offset;
                if (remaining < InetDiag.NlmsgHeaderLength)
                {
                    throw new SocketTableFormatException($"Truncated netlink header: {remaining} bytes left at offset {offset}.");
                }

                int messageLength = (int)Wire.U32(buffer, offset);
                if (messageLength < InetDiag.NlmsgHeaderLength || messageLength > remaining)
                {
                    throw new SocketTableFormatException($"Netlink message at offset {offset} claims {messageLength} bytes; {remaining} are left.");
                }

                if (Wire.U16(buffer, offset + 4) == InetDiag.NLMSG_ERROR && Wire.U32(buffer, offset + 8) == sequence)
                {
                    if (messageLength < InetDiag.NlmsgHeaderLength + 4)
                    {
                        throw new SocketTableFormatException("Truncated NLMSG_ERROR: no error code.");
                    }

                    int error = (int)Wire.U32(buffer, offset + InetDiag.NlmsgHeaderLength);
                    return (Errno)(-error);
                }

                offset += InetDiag.Align(messageLength);
            }

            return null;
        }
    }
}
