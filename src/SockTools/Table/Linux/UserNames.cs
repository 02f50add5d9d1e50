using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// uid -> user name through getpwuid_r, so NSS sources (LDAP, systemd-homed) work as in ls -l.
    /// Cached for the life of the process: a busy host has thousands of sockets and a handful of users.
    /// </summary>
    internal static unsafe class UserNames
    {
        private static readonly ConcurrentDictionary<uint, string?> Cache = new ConcurrentDictionary<uint, string?>();

        internal static string? Lookup(uint uid) => Cache.GetOrAdd(uid, Resolve);

        private static string? Resolve(uint uid)
        {
            Passwd passwd;
            for (int size = 1024; size <= 1 << 20; size *= 4)
            {
                byte[] buffer = new byte[size];
                Passwd* result = null;
                Errno error;
                fixed (byte* b = buffer)
                {
                    error = (Errno)Libc.getpwuid_r(uid, &passwd, b, size, &result);
                    if (error == Errno.None)
                    {
                        return result == null ? null : Marshal.PtrToStringAnsi(passwd.Name);
                    }
                }

                if (error != Errno.ERANGE)
                {
                    return null;
                }
            }

            return null;
        }
    }
}
