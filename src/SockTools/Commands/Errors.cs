using System;
using System.Management.Automation;
using SockTools.Table;

namespace SockTools.Commands
{
    /// <summary>
    /// The one place error records are made: stable ids (SockTools.*), the right category,
    /// the offending value as target, and a recommended action users can follow.
    /// </summary>
    internal static class Errors
    {
        /// <summary>Any failure of the socket-table reader: its own id, category and advice.</summary>
        internal static ErrorRecord TableFailed(SocketTableException e)
            => Make(e, e.ErrorId, e.Category, e.ErrorId == "PlatformNotSupported" ? Environment.OSVersion.Platform : null, e.RecommendedAction);

        internal static ErrorRecord PortWaitTimeout(string endpoint, PortCondition until, string message)
            => Make(new TimeoutException(message), "PortWaitTimeout", ErrorCategory.OperationTimeout, endpoint,
                until == PortCondition.Open
                    ? "Check that the service runs and listens on that address, or wait longer with -TimeoutSeconds."
                    : "See what still holds the port with Get-SockListener -Port, or wait longer with -TimeoutSeconds.");

        internal static ErrorRecord PortMissing(string computerName)
            => Make(new ArgumentException($"No port to test on '{computerName}'."), "PortMissing", ErrorCategory.InvalidArgument, computerName,
                "Add -Port, or write the port into the name: db01:5432 or [::1]:5432.");

        private static ErrorRecord Make(Exception e, string id, ErrorCategory category, object? target, string action)
        {
            var record = new ErrorRecord(e, "SockTools." + id, category, target);
            record.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = action };
            return record;
        }
    }
}
