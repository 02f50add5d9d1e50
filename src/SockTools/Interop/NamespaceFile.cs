using System.Text;

namespace SockTools.Interop
{
    /// <summary>
    /// The libc side of network namespaces: opening a namespace file (/run/netns/&lt;name&gt;, /proc/&lt;pid&gt;/ns/net),
    /// moving the calling thread into it, and reading the links that name a namespace ("net:[4026531833]").
    /// Callers decide what a failure means; every failure carries its errno.
    /// </summary>
    internal static unsafe class NamespaceFile
    {
        private const int MaxLink = 256;

        /// <summary>Opens a file read-only (a namespace file needs nothing more to be entered); false with errno when it cannot be.</summary>
        internal static bool TryOpen(string path, out SafeFd? fd, out Errno errno)
        {
            int handle = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (handle < 0)
            {
                fd = null;
                errno = LastError.Current;
                return false;
            }

            fd = new SafeFd(handle);
            errno = Errno.None;
            return true;
        }

        /// <summary>
        /// Moves the calling thread, and nothing else, into the network namespace <paramref name="fd"/> refers to: sockets
        /// it creates from now on belong there. Only for threads SockTools owns and ends itself.
        /// </summary>
        /// <exception cref="NativeCallException">EINVAL: not a network namespace; EPERM: no CAP_SYS_ADMIN over it.</exception>
        internal static void EnterNetwork(SafeFd fd, string what)
        {
            if (Libc.setns(fd.Value, Libc.CLONE_NEWNET) < 0)
            {
                throw LastError.Exception("setns", what);
            }
        }

        /// <summary>The text a symbolic link points to; false with errno when it is no link or cannot be read.</summary>
        internal static bool TryReadLink(string path, out string? text, out Errno errno)
        {
            byte* buffer = stackalloc byte[MaxLink];
            nint length = Libc.readlink(path, buffer, MaxLink);
            if (length < 0)
            {
                text = null;
                errno = LastError.Current;
                return false;
            }

            text = Encoding.UTF8.GetString(buffer, (int)length);
            errno = Errno.None;
            return true;
        }
    }
}
