using System;
using System.Threading;

namespace SockTools.Interop
{
    /// <summary>
    /// A netlink socket to the kernel: requests out, answers and notifications in. Signals (EINTR) never fail a
    /// call, a full send buffer (EAGAIN) is waited out a few times; every other failure is a
    /// <see cref="NativeCallException"/> naming the errno (a caller may act on ENOBUFS: the kernel dropped answers).
    /// </summary>
    internal sealed unsafe class NetlinkSocket : IDisposable
    {
        private const int MaxSendAttempts = 5;
        private readonly SafeFd _fd;

        private NetlinkSocket(SafeFd fd) => _fd = fd;

        /// <exception cref="NativeCallException">The socket could not be made (no such netlink family, a sandbox).</exception>
        internal static NetlinkSocket Open(int protocol, string what)
        {
            int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
            return fd >= 0 ? new NetlinkSocket(new SafeFd(fd)) : throw LastError.Exception("socket", what);
        }

        /// <summary>Joins multicast groups (a bitmask of group numbers minus one).</summary>
        /// <exception cref="NativeCallException">Not permitted (the destroy groups need CAP_NET_ADMIN), or no such groups.</exception>
        internal void Join(uint groups, string what)
        {
            SockaddrNl address = SockaddrNl.Kernel(groups);
            if (Libc.bind(_fd.Value, &address, sizeof(SockaddrNl)) < 0)
            {
                throw LastError.Exception("bind", what);
            }
        }

        /// <summary>Asks for a receive buffer this large: beyond the limit as root (SO_RCVBUFFORCE), else up to it.</summary>
        internal void RequestReceiveBuffer(int bytes)
        {
            if (Libc.setsockopt(_fd.Value, Libc.SOL_SOCKET, Libc.SO_RCVBUFFORCE, &bytes, sizeof(int)) < 0)
            {
                Libc.setsockopt(_fd.Value, Libc.SOL_SOCKET, Libc.SO_RCVBUF, &bytes, sizeof(int));
            }
        }

        /// <summary>Sends one request to the kernel.</summary>
        internal void Send(byte[] request, string what)
        {
            SockaddrNl kernel = SockaddrNl.Kernel();
            for (int attempt = 1; ; attempt++)
            {
                fixed (byte* r = request)
                {
                    if (Libc.sendto(_fd.Value, r, request.Length, 0, &kernel, sizeof(SockaddrNl)) >= 0)
                    {
                        return;
                    }
                }

                Errno errno = LastError.Current;
                if (errno == Errno.EINTR || (errno == Errno.EAGAIN && attempt < MaxSendAttempts))
                {
                    if (errno == Errno.EAGAIN)
                    {
                        Thread.Sleep(attempt); // give the kernel a moment to drain the buffer
                    }

                    continue;
                }

                throw new NativeCallException("sendto", errno, what);
            }
        }

        /// <summary>
        /// Receives one datagram into <paramref name="buffer"/>; with <paramref name="wait"/> false, 0 when nothing
        /// is queued.
        /// </summary>
        internal int Receive(byte[] buffer, bool wait, string what)
        {
            while (true)
            {
                nint received;
                fixed (byte* b = buffer)
                {
                    received = Libc.recv(_fd.Value, b, buffer.Length, wait ? 0 : Libc.MSG_DONTWAIT);
                }

                if (received >= 0)
                {
                    return (int)received;
                }

                Errno errno = LastError.Current;
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                if (errno == Errno.EAGAIN && !wait)
                {
                    return 0;
                }

                throw new NativeCallException("recv", errno, what);
            }
        }

        /// <summary>Drops whatever is queued, without waiting.</summary>
        internal void Discard(byte[] buffer)
        {
            try
            {
                while (Receive(buffer, wait: false, "discard") > 0)
                {
                }
            }
            catch (NativeCallException)
            {
                // Whatever went wrong with leftovers shows again on the next real receive.
            }
        }

        public void Dispose() => _fd.Dispose();
    }
}
