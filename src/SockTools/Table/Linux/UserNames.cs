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
        private const int ERANGE = 34;
        private static readonly ConcurrentDictionary<uint, string?> Cache = new ConcurrentDictionary<uint, string?>();

        internal static string? Lookup(uint uid) => Cache.GetOrAdd(uid, Resolve);

        private static string? Resolve(uint uid)
        {
            // struct passwd is 48 bytes on 64-bit; pw_name is the first field.
            byte* passwd = stackalloc byte[64];
            for (int size = 1024; size <= 1 << 20; size *= 4)
            {
                byte[] buffer = new byte[size];
                nint result = 0;
                int error;
                fixed (byte* b = buffer)
                {
                    error = Libc.getpwuid_r(uid, passwd, b, size, &result);
                    if (error == 0)
                    {
                        return result == 0 ? null : Marshal.PtrToStringAnsi(*(nint*)passwd);
                    }
                }

                if (error != ERANGE)
                {
                    return null;
                }
            }

            return null;
        }
    }
}
