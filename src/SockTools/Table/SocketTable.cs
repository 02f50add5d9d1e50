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

        /// <summary>Reads the table for the query. Every failure, now or while the entries are enumerated, is a <see cref="SocketTableException"/>.</summary>
        internal static IEnumerable<SocketEntry> Read(SocketQuery query, ITableLog log)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                throw new SocketTableException(
                    "PlatformNotSupported",
                    System.Management.Automation.ErrorCategory.NotImplemented,
                    $"SockTools reads the socket table on Linux only so far; {RuntimeInformation.OSDescription} is planned (Windows through the IP Helper API, then macOS).",
                    "Run SockTools on Linux for now; Test-SockPort works everywhere.");
            }

            try
            {
                return SocketTableException.Guard(LinuxSocketTable.Read(query, log));
            }
            catch (Exception e) when (SocketTableException.IsReaderFailure(e))
            {
                throw SocketTableException.ReadFailed(e);
            }
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
