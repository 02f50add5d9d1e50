using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using SockTools.Query;
using SockTools.Table.Linux;

namespace SockTools.Table
{
    /// <summary>
    /// The one socket-table reader every cmdlet uses. Picks the implementation for this OS; each
    /// implementation reads, filters, resolves owners and returns finished entries.
    /// </summary>
    internal static class SocketTable
    {
        /// <summary>Environment variable that forces a reader: "netlink", "proc", or "auto" (the default).</summary>
        internal const string ReaderVariable = "SOCKTOOLS_READER";

        /// <exception cref="PlatformNotSupportedException">No reader exists for this OS yet.</exception>
        internal static IEnumerable<SocketEntry> Read(SocketQuery query, ITableLog log)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return LinuxSocketTable.Read(query, log);
            }

            throw new PlatformNotSupportedException(
                $"SockTools reads the socket table on Linux only so far; {RuntimeInformation.OSDescription} is planned (Windows through the IP Helper API, then macOS).");
        }

        /// <summary>The OS's feed of destroyed sockets, or null with the reason it is not available here.</summary>
        internal static IDestroyFeed? OpenDestroyFeed(out string reason)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                reason = "this OS has no destroy notifications SockTools can read";
                return null;
            }

            SocketDestroyFeed? feed = SocketDestroyFeed.TryOpen(out string? why);
            reason = why ?? string.Empty;
            return feed;
        }
    }
}
