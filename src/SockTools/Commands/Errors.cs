using System;
using System.Management.Automation;

namespace SockTools.Commands
{
    /// <summary>
    /// The one place error records are made: stable ids (SockTools.*), the right category,
    /// the offending value as target, and a recommended action users can follow.
    /// </summary>
    internal static class Errors
    {
        internal static ErrorRecord PlatformNotSupported(PlatformNotSupportedException e)
            => Make(e, "PlatformNotSupported", ErrorCategory.NotImplemented, Environment.OSVersion.Platform,
                "Run SockTools on Linux for now.");

        internal static ErrorRecord ReadFailed(Exception e)
            => Make(e, "SocketTableReadFailed", ErrorCategory.ReadError, null,
                "Check that /proc is mounted; set SOCKTOOLS_READER=proc or netlink to try one reader, and run with -Verbose to see which failed.");

        private static ErrorRecord Make(Exception e, string id, ErrorCategory category, object? target, string action)
        {
            var record = new ErrorRecord(e, "SockTools." + id, category, target);
            record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = action };
            return record;
        }
    }
}
