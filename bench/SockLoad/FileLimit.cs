// Raises RLIMIT_NOFILE so one process can hold thousands of sockets; children inherit it across exec.
using System.Runtime.InteropServices;

internal static class FileLimit
{
    /// <summary>Sets the soft limit to the hard limit, first raising the hard limit when root and it is too low.</summary>
    public static void Raise(ulong needed)
    {
        if (Native.getrlimit(Native.RLIMIT_NOFILE, out Native.RLimit limit) != 0)
        {
            throw new InvalidOperationException($"getrlimit failed: errno {Marshal.GetLastPInvokeError()}");
        }

        if (needed > limit.Maximum)
        {
            // Only works with CAP_SYS_RESOURCE (root) and up to fs.nr_open; otherwise keep the old hard limit.
            var higher = new Native.RLimit { Current = needed, Maximum = needed };
            if (Native.setrlimit(Native.RLIMIT_NOFILE, ref higher) == 0)
            {
                return;
            }
        }

        if (needed > limit.Maximum)
        {
            throw new InvalidOperationException(
                $"each process needs about {needed} file descriptors but the hard limit is {limit.Maximum}: run as root, raise 'ulimit -Hn', or use more --processes.");
        }

        limit.Current = limit.Maximum;
        if (Native.setrlimit(Native.RLIMIT_NOFILE, ref limit) != 0)
        {
            throw new InvalidOperationException($"setrlimit failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
