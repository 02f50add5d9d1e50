using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
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

        /// <summary>ConvertTo-SockGraph was given something that is not a socket.</summary>
        internal static ErrorRecord NotASocket(object input)
            => Make(new ArgumentException($"'{input}' is not a socket: ConvertTo-SockGraph takes the objects Get-SockConnection and Get-SockListener write."), "NotASocket", ErrorCategory.InvalidArgument, input,
                "Pipe Get-SockConnection or Get-SockListener output (or its copies from jobs and remoting) into ConvertTo-SockGraph.");

        /// <summary>A listener (or bound UDP socket) given to Close-SockConnection without -Force.</summary>
        internal static ErrorRecord ListenerNeedsForce(SocketEntry entry)
            => Make(new InvalidOperationException($"Not closed: {entry.Summary} is a listener, and closing it stops its server from accepting {(entry.Protocol == SocketProtocol.Tcp ? "connections" : "datagrams")}."), "ListenerNeedsForce", ErrorCategory.InvalidOperation, entry,
                "Add -State Connected to close connections only, or -Force to close listeners too.");

        /// <summary>The OS would not close one socket; <paramref name="outcome"/> says why.</summary>
        internal static ErrorRecord SocketNotClosed(SocketEntry entry, SocketCloseOutcome outcome)
        {
            string message = $"Could not close {entry.Summary}: {outcome.Detail}.";
            return outcome.Result switch
            {
                SocketCloseResult.Denied => Make(new UnauthorizedAccessException(message), "SocketCloseDenied", ErrorCategory.PermissionDenied, entry, outcome.Advice ?? "Run as root (sudo)."),
                SocketCloseResult.Unsupported or SocketCloseResult.StateUnsupported => Make(new NotSupportedException(message), "SocketCloseNotSupported", ErrorCategory.NotImplemented, entry,
                    outcome.Advice ?? "Stop the owning process instead (Get-SockConnection shows its ProcessId), or let the socket end by itself."),
                _ => Make(new InvalidOperationException(message), "SocketCloseFailed", ErrorCategory.InvalidOperation, entry,
                    "List the socket again with Get-SockConnection and retry; run with -Verbose to see each step."),
            };
        }

        /// <summary>A UNIX domain socket piped to Close-SockConnection: no system closes one from outside.</summary>
        internal static ErrorRecord UnixSocketNotClosable(SocketEntry entry)
            => Make(new NotSupportedException($"Not closed: {entry.Summary} is a UNIX domain socket, and the kernel closes TCP and UDP sockets from outside (SOCK_DESTROY), never UNIX ones."), "SocketCloseNotSupported", ErrorCategory.NotImplemented, entry,
                "To end a UNIX connection, stop the process at either end (its ProcessId or PeerProcessId); pipe TCP and UDP sockets only (Get-SockConnection -Protocol Tcp, Udp).");

        /// <summary>Close-SockConnection -Protocol Unix or -Path: filters that can only find sockets it cannot close.</summary>
        internal static ErrorRecord UnixFilterNotClosable(string parameter, object value)
            => Make(new ArgumentException($"Close-SockConnection closes TCP and UDP sockets; {parameter} '{value}' selects UNIX domain sockets, which the kernel never closes from outside (SOCK_DESTROY serves TCP and UDP only). Nothing was closed."), "ProtocolNotSupported", ErrorCategory.InvalidArgument, value,
                "Use -Protocol Tcp, Udp or All (All closes TCP and UDP sockets); to end a UNIX connection, stop the process at either end (Get-SockConnection -Path shows ProcessId and PeerProcessId).");

        /// <summary>
        /// The OS said "no such socket" although the socket is still listed: it shares its addresses with others
        /// (SO_REUSEPORT), and the OS, which finds the socket to close by its addresses, picked another one.
        /// </summary>
        internal static ErrorRecord SocketAddressShared(SocketEntry entry)
            => Make(new InvalidOperationException($"Could not close {entry.Summary}: other sockets share its addresses (SO_REUSEPORT), and the system, which finds the socket to close by its addresses, picked another of them. Nothing was closed."), "SocketAddressShared", ErrorCategory.ResourceBusy, entry,
                "Stop the owning process instead (Stop-Process -Id <ProcessId>), or close the sockets that share its addresses first.");

        /// <summary>Close-SockConnection with neither a filter nor piped sockets: that would close every connection of this computer.</summary>
        internal static ErrorRecord CloseTargetMissing()
            => Make(new ArgumentException("Close-SockConnection needs sockets to close: pipe them in (Get-SockConnection ... | Close-SockConnection) or give a filter such as -RemotePort, -State or -ProcessId. Without one it would close every connection of this computer, yours included."), "CloseTargetMissing", ErrorCategory.InvalidArgument, null,
                "Name what to close: -Port, -RemotePort, -State, -ProcessId, ...; -State Connected closes every connection on purpose.");

        /// <summary>Show-SockConnection -AllNetworkNamespaces: the live view shows one socket table.</summary>
        internal static ErrorRecord LiveViewOneNamespace()
            => Make(new ArgumentException("Show-SockConnection shows one socket table at a time and has no namespace column: -AllNetworkNamespaces is not supported here."), "LiveViewOneNamespace", ErrorCategory.InvalidArgument, null,
                "Give -NetworkNamespace <name> to watch one namespace live, or use Watch-SockState -AllNetworkNamespaces, whose changes carry their namespace.");

        /// <summary>Close-SockConnection with both -NetworkNamespace and -AllNetworkNamespaces (the readers refuse them by parameter set).</summary>
        internal static ErrorRecord NamespaceParametersTogether()
            => Make(new ArgumentException("-NetworkNamespace and -AllNetworkNamespaces cannot be given together: the first reads one network namespace, the second every one."), "NamespaceParametersTogether", ErrorCategory.InvalidArgument, null,
                "Give -NetworkNamespace <name> for one namespace, or -AllNetworkNamespaces for all of them.");

        /// <summary>Sockets piped in together with filters: which of the two was meant is not clear, and closing is not to be guessed.</summary>
        internal static ErrorRecord FiltersWithPipedSockets(string[] filters)
        {
            string names = string.Join(", ", Array.ConvertAll(filters, f => "-" + f));
            return Make(new ArgumentException($"Close-SockConnection closes either the sockets piped in or the sockets its filters find, not both: {names} cannot be given with piped sockets, and nothing was closed."), "FiltersWithPipedSockets", ErrorCategory.InvalidArgument, filters,
                $"Move {names} to the command that lists the sockets (Get-SockConnection {names} ... | Close-SockConnection), or give the filters to Close-SockConnection without piping.");
        }

        /// <summary>
        /// A part of a cmdlet that only Linux has (the kernel's counters, sockstat, the ephemeral port range): the same
        /// id as a system without a reader, with what does work here and where to look instead.
        /// </summary>
        internal static ErrorRecord LinuxOnly(string what, string files, string action)
            => Make(new PlatformNotSupportedException($"{what} reads {files}, which only Linux has; this system is {RuntimeInformation.OSDescription}."),
                "PlatformNotSupported", ErrorCategory.NotImplemented, Environment.OSVersion.Platform, action);

        /// <summary>A kernel file that exists but could not be read (the rest of the answer is still written).</summary>
        internal static ErrorRecord KernelFileFailed(string path, Exception e)
            => Make(new IOException($"{path} could not be read: {e.Message}", e), "KernelFileReadFailed",
                e is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError, path,
                "Check that /proc is mounted and readable; what could be read is written all the same.");

        /// <summary>-Name without wildcards that names no counter of this kernel.</summary>
        internal static ErrorRecord CounterNotFound(string name)
            => Make(new ItemNotFoundException($"This kernel has no counter named '{name}'."), "CounterNotFound", ErrorCategory.ObjectNotFound, name,
                "List every counter with Get-SockSummary -Counters -Name *; names are as nstat prints them, such as TcpExtListenOverflows.");

        /// <summary>The ephemeral port range could not be read or understood: nothing can be computed without it.</summary>
        internal static ErrorRecord PortRangeFailed(string directory, Exception e)
            => Make(new IOException($"The ephemeral port range could not be read from {directory}: {e.Message}", e), "PortRangeReadFailed",
                e is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError, directory,
                "Check that /proc is mounted and that /proc/sys/net/ipv4/ip_local_port_range reads as two port numbers (sysctl net.ipv4.ip_local_port_range).");

        /// <summary>Show-SockConnection in a PowerShell whose .NET cannot run the view (Terminal.Gui 2 needs .NET 10).</summary>
        internal static ErrorRecord LiveViewNeedsPowerShell7(string runtime)
            => Make(new PlatformNotSupportedException($"Show-SockConnection needs PowerShell 7.6 or later (.NET 10), for its terminal view (Terminal.Gui); this PowerShell runs on {runtime}."),
                "LiveViewNeedsPowerShell7", ErrorCategory.NotImplemented, runtime,
                "Run it in pwsh 7.6 or later. Here, Watch-SockState and Get-SockConnection give the same sockets as objects.");

        /// <summary>Show-SockConnection without a terminal to draw in (redirected input or output, a remote session, a job).</summary>
        internal static ErrorRecord LiveViewNeedsTerminal(string what)
            => Make(new InvalidOperationException($"Show-SockConnection draws in a terminal and reads its keys, but {what}."),
                "LiveViewNeedsTerminal", ErrorCategory.InvalidOperation, what,
                "Run it at an interactive pwsh prompt; in scripts, jobs and remoting use Watch-SockState or Get-SockConnection.");

        /// <summary>The view's assemblies are missing or could not be loaded.</summary>
        internal static ErrorRecord LiveViewUnavailable(Exception e, string folder)
            => Make(e, "LiveViewUnavailable", ErrorCategory.ResourceUnavailable, folder,
                "Reinstall the module: its LiveView folder must hold SockTools.LiveView.dll and Terminal.Gui.dll with their dependencies.");

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
