using System;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Walks the netlink messages one recv() on a sock_diag socket returned, for both families' parsers: checks each
    /// header against the bytes there are, turns an error or a failed dump into an exception, and hands every
    /// socket message's payload (SOCK_DIAG_BY_FAMILY, or TCPDIAG_GETSOCK in answer to the one-walk TCP dump) to the caller. Pure: bytes in, so it is tested on byte fixtures.
    /// </summary>
    internal static class NetlinkReply
    {
        /// <summary>
        /// Calls <paramref name="onSocket"/> with the offset and length of each socket message's payload in
        /// <paramref name="buffer"/>[0..<paramref name="length"/>); true once NLMSG_DONE ends the dump.
        /// </summary>
        /// <exception cref="SocketTableFormatException">The bytes are truncated or malformed.</exception>
        /// <exception cref="NetlinkErrorException">The kernel answered with an error.</exception>
        internal static bool Walk(byte[] buffer, int length, Action<int, int> onSocket)
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
                ushort type = Wire.U16(buffer, offset + 4);
                if (messageLength < InetDiag.NlmsgHeaderLength || messageLength > remaining)
                {
                    throw new SocketTableFormatException($"Netlink message at offset {offset} claims {messageLength} bytes; {remaining} are left.");
                }

                int payload = offset + InetDiag.NlmsgHeaderLength;
                int payloadLength = messageLength - InetDiag.NlmsgHeaderLength;
                switch (type)
                {
                    case InetDiag.NLMSG_DONE:
                        // A dump that fails inside the kernel still ends with NLMSG_DONE; its int payload
                        // then carries the negative errno (e.g. -ENOENT when no sock_diag handler serves the
                        // protocol, as when udp_diag is not available). Ignoring it made such a dump look like
                        // an empty table instead of an error the reader can fall back from.
                        if (payloadLength >= 4 && (int)Wire.U32(buffer, payload) < 0)
                        {
                            throw new NetlinkErrorException(-(int)Wire.U32(buffer, payload));
                        }

                        return true;
                    case InetDiag.NLMSG_ERROR:
                        ThrowError(buffer, payload, payloadLength);
                        break;
                    case InetDiag.SOCK_DIAG_BY_FAMILY:
                    case InetDiag.TCPDIAG_GETSOCK: // the kernel answers with the request's type: the one-walk TCP dump's
                        onSocket(payload, payloadLength);
                        break;
                    default:
                        break; // NLMSG_NOOP and friends carry nothing for us
                }

                offset += InetDiag.Align(messageLength);
            }

            return false;
        }

        private static void ThrowError(byte[] buffer, int payload, int payloadLength)
        {
            if (payloadLength < 4)
            {
                throw new SocketTableFormatException("Truncated NLMSG_ERROR: no error code.");
            }

            int error = (int)Wire.U32(buffer, payload);
            if (error != 0)
            {
                throw new NetlinkErrorException(-error);
            }
        }
    }

    /// <summary>
    /// Steps through an rtattr list, checking every length, so a malformed tail is caught rather than misread.
    /// A struct, so the parsers walk thousands of messages' attributes without allocating.
    /// </summary>
    internal struct NetlinkAttributes
    {
        private readonly byte[] _bytes;
        private int _offset;
        private int _left;

        internal NetlinkAttributes(byte[] bytes, int offset, int length)
        {
            _bytes = bytes;
            _offset = offset;
            _left = length;
        }

        /// <summary>The next attribute's type and the offset and length of its payload; false after the last.</summary>
        /// <exception cref="SocketTableFormatException">An attribute's length is impossible.</exception>
        internal bool Next(out ushort type, out int payload, out int payloadLength)
        {
            if (_left < 4)
            {
                type = 0;
                payload = payloadLength = 0;
                return false;
            }

            int attributeLength = Wire.U16(_bytes, _offset);
            if (attributeLength < 4 || attributeLength > _left)
            {
                throw new SocketTableFormatException($"Malformed attribute of {attributeLength} bytes with {_left} left.");
            }

            type = Wire.U16(_bytes, _offset + 2);
            payload = _offset + 4;
            payloadLength = attributeLength - 4;
            int aligned = Math.Min(InetDiag.Align(attributeLength), _left);
            _offset += aligned;
            _left -= aligned;
            return true;
        }
    }
}
