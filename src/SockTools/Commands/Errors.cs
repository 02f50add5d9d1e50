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
            => Make(e, e.ErrorId, e.Category, e.Target ?? (e.ErrorId == "PlatformNotSupported" ? Environment.OSVersion.Platform : null), e.RecommendedAction);

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

        /// <summary>PortMissing for ::1:443 and the like: a valid IPv6 address as a whole, most likely meant as an address and a port.</summary>
        internal static ErrorRecord PortMissingAfterBareIPv6(string computerName, string literal, string bracketed)
            => Make(new ArgumentException($"No port to test on '{computerName}': without brackets it is all one IPv6 address ({literal}), not an address and a port. An IPv6 address with a port is written {bracketed}."), "PortMissing", ErrorCategory.InvalidArgument, computerName,
                $"Write {bracketed} to test that port, or add -Port to test '{computerName}' as the address it is.");

        /// <summary>
        /// -TimeoutSeconds 0 without -Wait. It is a binding error in all but timing (PowerShell checks one
        /// parameter at a time, and 0 is valid with -Wait), so it carries the id the range check gives.
        /// </summary>
        internal static ErrorRecord NoTimeLimitWithoutWait()
        {
            const string Message = "Cannot validate argument on parameter 'TimeoutSeconds'. 0 means no time limit, which only -Wait can use: a single test always needs one. Give 0.001 to 86400 seconds, or add -Wait to keep trying until the port opens.";
            var record = new ErrorRecord(new ParameterBindingException(Message), "ParameterArgumentValidationError", ErrorCategory.InvalidData, 0.0);
            record.ErrorDetails = new ErrorDetails(Message) { RecommendedAction = "Give -TimeoutSeconds 0.001 to 86400, or add -Wait." };
            return record;
        }
    }
}
