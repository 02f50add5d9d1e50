using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using SockTools.Interop.MacOS;

namespace SockTools.Table.MacOS
{
    /// <summary>
    /// uid -> user name through macOS's getpwuid_r, so directory services (Open Directory, LDAP) answer as for
    /// ls -l. Cached for the life of the process: many sockets, a handful of users.
    /// </summary>
    internal static unsafe class MacUserNames
    {
        private static readonly ConcurrentDictionary<uint, string?> Cache = new ConcurrentDictionary<uint, string?>();

        internal static string? Lookup(uint uid) => Cache.GetOrAdd(uid, Resolve);

        private static string? Resolve(uint uid)
        {
            MacPasswd passwd;
            for (int size = 1024; size <= 1 << 20; size *= 4)
            {
                byte[] buffer = new byte[size];
                MacPasswd* result = null;
                int error;
                fixed (byte* b = buffer)
                {
                    error = LibSystem.getpwuid_r(uid, &passwd, b, (nuint)size, &result);
                    if (error == 0)
                    {
                        return result == null ? null : Marshal.PtrToStringAnsi(passwd.Name);
                    }
                }

                if ((MacErrno)error != MacErrno.ERANGE) // ERANGE: the buffer is too small for the entry
                {
                    return null;
                }
            }

            return null;
        }
    }
}
