using System.Net;
using System.Net.Sockets;
using SockTools.Interop;

namespace SockTools.Probe.Linux
{
    /// <summary>sockaddr_in / sockaddr_in6 to and from <see cref="IPEndPoint"/>, for the raw connect path.</summary>
    internal static unsafe class SockAddr
    {
        internal const int MaxLength = 28; // sizeof(struct sockaddr_in6)

        /// <summary>Writes the endpoint; returns the length to pass to connect().</summary>
        internal static int Write(IPEndPoint endpoint, byte* into)
        {
            for (int i = 0; i < MaxLength; i++)
            {
                into[i] = 0;
            }

            bool v6 = endpoint.AddressFamily == AddressFamily.InterNetworkV6;
            *(ushort*)into = (ushort)(v6 ? Libc.AF_INET6 : Libc.AF_INET);
            into[2] = (byte)(endpoint.Port >> 8); // sin_port / sin6_port: network order
            into[3] = (byte)endpoint.Port;
            byte[] address = endpoint.Address.GetAddressBytes();
            int at = v6 ? 8 : 4; // sin6_addr follows sin6_flowinfo
            for (int i = 0; i < address.Length; i++)
            {
                into[at + i] = address[i];
            }

            if (v6)
            {
                *(uint*)(into + 24) = (uint)endpoint.Address.ScopeId;
            }

            return v6 ? 28 : 16;
        }

        internal static IPEndPoint? Read(byte* from, int length)
        {
            ushort family = *(ushort*)from;
            int port = (from[2] << 8) | from[3];
            if (family == Libc.AF_INET && length >= 16)
            {
                return new IPEndPoint(new IPAddress(new[] { from[4], from[5], from[6], from[7] }), port);
            }

            if (family == Libc.AF_INET6 && length >= 28)
            {
                var bytes = new byte[16];
                for (int i = 0; i < 16; i++)
                {
                    bytes[i] = from[8 + i];
                }

                return new IPEndPoint(new IPAddress(bytes, *(uint*)(from + 24)), port);
            }

            return null;
        }
    }
}
