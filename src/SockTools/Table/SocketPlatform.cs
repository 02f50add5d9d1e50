using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using SockTools.Interop;
using SockTools.Interop.MacOS;
using SockTools.Interop.Windows;
using SockTools.Table.Linux;
using SockTools.Table.MacOS;
using SockTools.Table.Windows;

namespace SockTools.Table
{
    /// <summary>
    /// The one place that knows which OS this is: it picks, per concern, the implementation that reads the
    /// table, the one that finds owners, the source of "socket destroyed" events, the one that closes sockets,
    /// the network namespaces (Linux only), and the advice a failed read gives. An OS without a reader (FreeBSD,
    /// a 32-bit process) gets one clear error, never a crash.
    /// </summary>
    internal sealed class SocketPlatform
    {
        private static readonly Lazy<SocketPlatform?> ThisOs = new Lazy<SocketPlatform?>(Detect);
        private readonly Func<NamespaceTag?, (IDestroyFeed? Feed, string Reason)> _openDestroyFeed;
        private readonly Func<ISocketCloser> _openCloser;

        private SocketPlatform(ISocketTableReader reader, IOwnerLookup owners, Func<NamespaceTag?, (IDestroyFeed?, string)> openDestroyFeed, string destroyFeedAdvice, string readAdvice, Func<ISocketCloser> openCloser, INetworkNamespaces? namespaces = null, bool readsUnix = false)
        {
            ReadsUnix = readsUnix;
            Reader = reader;
            Owners = owners;
            _openDestroyFeed = openDestroyFeed;
            DestroyFeedAdvice = destroyFeedAdvice;
            ReadAdvice = readAdvice;
            _openCloser = openCloser;
            Namespaces = namespaces;
        }

        internal ISocketTableReader Reader { get; }

        /// <summary>Whether this OS's reader lists UNIX domain sockets (Linux); TCP and UDP every reader lists.</summary>
        internal bool ReadsUnix { get; }

        internal IOwnerLookup Owners { get; }

        /// <summary>This OS's network namespaces; null where there are none (Windows, macOS).</summary>
        internal INetworkNamespaces? Namespaces { get; }

        /// <summary>What a user can do when the destroy feed is off ("" when nothing helps).</summary>
        internal string DestroyFeedAdvice { get; }

        /// <summary>The recommended action of a failed read, in this OS's words.</summary>
        internal string ReadAdvice { get; }

        /// <summary>This OS's platform.</summary>
        /// <exception cref="SocketTableException">No reader exists for this OS or this process (id PlatformNotSupported).</exception>
        internal static SocketPlatform Current => ThisOs.Value ?? throw NotSupported(RuntimeInformation.OSDescription, IsKnownOs, IntPtr.Size);

        /// <summary>
        /// The OS's feed of destroyed sockets, or null with the reason it is not available. It reports the network
        /// namespace of the calling thread (call it inside a namespace through <see cref="NamespaceThread"/>), and tags
        /// what it reports with <paramref name="where"/>.
        /// </summary>
        internal IDestroyFeed? OpenDestroyFeed(NamespaceTag? where, out string reason)
        {
            (IDestroyFeed? feed, string why) = _openDestroyFeed(where);
            reason = why;
            return feed;
        }

        /// <summary>The error for -NetworkNamespace and -AllNetworkNamespaces where the OS has no network namespaces.</summary>
        internal static SocketTableException NamespacesNotSupported() => new SocketTableException(
            "NetworkNamespaceNotSupported",
            ErrorCategory.NotImplemented,
            $"Network namespaces exist on Linux only; {RuntimeInformation.OSDescription} has none.",
            "Leave out -NetworkNamespace and -AllNetworkNamespaces; to read the tables of other computers, run the command on them with Invoke-Command.",
            null,
            RuntimeInformation.OSDescription);

        /// <summary>
        /// Fits the query's protocols to what this OS's reader has: -Protocol All drops the ones it has not (with a
        /// -Verbose line); naming one it has not is an error, not an empty answer that would look like "none open".
        /// </summary>
        /// <exception cref="SocketTableException">The query names a protocol this OS's reader cannot read (id ProtocolNotSupported).</exception>
        internal void Narrow(Query.SocketQuery query, ITableLog log)
        {
            if (!query.IncludeUnix || ReadsUnix)
            {
                return;
            }

            if (query.AllProtocols)
            {
                query.IncludeUnix = false;
                log.Verbose("-Protocol All: this system's reader lists TCP and UDP sockets; UNIX domain sockets are read on Linux only.");
                return;
            }

            throw new SocketTableException("ProtocolNotSupported", ErrorCategory.NotImplemented,
                $"SockTools reads UNIX domain sockets on Linux only; {RuntimeInformation.OSDescription} has no reader for them.",
                "Use -Protocol Tcp, Udp, or All (every protocol this system has).", target: SocketProtocol.Unix);
        }

        /// <summary>
        /// The OS's way to close sockets of any process, ready for many requests; dispose it when done. It closes
        /// sockets of the calling thread's network namespace (open it inside one through <see cref="NamespaceThread"/>).
        /// </summary>
        /// <exception cref="SocketTableException">It could not be opened (id SocketCloseFailed).</exception>
        internal ISocketCloser OpenCloser() => _openCloser();

        /// <summary>The error for a system without a reader: which systems have one, and why this one has not.</summary>
        internal static SocketTableException NotSupported(string osDescription, bool knownOs, int pointerSize)
        {
            string message = knownOs && pointerSize != 8
                ? $"SockTools cannot read the socket table in a {8 * pointerSize}-bit process: its readers are built and checked for 64-bit processes only."
                : $"SockTools reads the socket table on Linux, Windows and macOS; {osDescription} has no reader.";
            string action = knownOs && pointerSize != 8
                ? "Run SockTools in a 64-bit PowerShell; Test-SockPort works in any process."
                : "Test-SockPort works on every system; the other cmdlets need Linux, Windows or macOS.";
            return new SocketTableException("PlatformNotSupported", ErrorCategory.NotImplemented, message, action);
        }

        private static bool IsKnownOs => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || WindowsAbi.IsWindows || MacAbi.IsMacOS;

        private static SocketPlatform? Detect()
        {
            if (LinuxAbi.IsSupported)
            {
                return new SocketPlatform(new LinuxTableReader(), new ProcFdOwnerLookup(), where =>
                {
                    SocketDestroyFeed? feed = SocketDestroyFeed.TryOpen(where, out string? why);
                    return (feed, why ?? string.Empty);
                },
                " Run as root to catch them.",
                SocketTableException.LinuxReadAdvice,
                NetlinkSocketCloser.Open,
                new LinuxNetworkNamespaces(),
                readsUnix: true);
            }

            if (WindowsAbi.IsSupported)
            {
                return new SocketPlatform(new IpHelperTableReader(), new WindowsOwnerLookup(() => new WindowsProcesses()),
                    _ => (null, "Windows tells no program when a socket is destroyed; every look reads the table anew"),
                    string.Empty,
                    "Run the command with -Verbose to see which IP Helper call failed and with which Win32 error.",
                    () => new WindowsSocketCloser());
            }

            if (MacAbi.IsSupported)
            {
                return new SocketPlatform(new PcbListReader(), new MacFdOwnerLookup(() => new MacProcesses()),
                    _ => (null, "macOS tells no program when a socket is destroyed; every look reads the table anew"),
                    string.Empty,
                    "Run the command with -Verbose to see which sysctl or libproc call failed and with which errno.",
                    () => new UnsupportedSocketCloser("macOS offers no way to close another process's socket from outside. Stop the owning process instead (Stop-Process -Id <ProcessId>)."));
            }

            return null;
        }
    }
}
