using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using SockTools.Interop;
using SockTools.Table.Linux;

namespace SockTools.Table
{
    /// <summary>
    /// The one place that knows which OS this is: it picks, per concern, the implementation that reads the
    /// table, the one that finds owners, the source of "socket destroyed" events, and the one that closes sockets. An OS without a reader
    /// gets one clear error, never a crash.
    /// </summary>
    internal sealed class SocketPlatform
    {
        private static readonly Lazy<SocketPlatform?> ThisOs = new Lazy<SocketPlatform?>(Detect);
        private readonly Func<(IDestroyFeed? Feed, string Reason)> _openDestroyFeed;
        private readonly Func<ISocketCloser> _openCloser;

        private SocketPlatform(ISocketTableReader reader, IOwnerLookup owners, Func<(IDestroyFeed?, string)> openDestroyFeed, Func<ISocketCloser> openCloser)
        {
            Reader = reader;
            Owners = owners;
            _openDestroyFeed = openDestroyFeed;
            _openCloser = openCloser;
        }

        internal ISocketTableReader Reader { get; }

        internal IOwnerLookup Owners { get; }

        /// <summary>This OS's platform.</summary>
        /// <exception cref="SocketTableException">No reader exists for this OS yet (id PlatformNotSupported).</exception>
        internal static SocketPlatform Current => ThisOs.Value ?? throw new SocketTableException(
            "PlatformNotSupported",
            ErrorCategory.NotImplemented,
            LinuxAbi.WhyNot is string why
                ? $"SockTools cannot read the socket table in {why}."
                : $"SockTools reads the socket table on Linux only so far; {RuntimeInformation.OSDescription} is planned (Windows through the IP Helper API, then macOS).",
            LinuxAbi.WhyNot is null ? "Run SockTools on Linux for now; Test-SockPort works everywhere." : "Run SockTools in a 64-bit PowerShell.");

        /// <summary>The OS's feed of destroyed sockets, or null with the reason it is not available.</summary>
        internal IDestroyFeed? OpenDestroyFeed(out string reason)
        {
            (IDestroyFeed? feed, string why) = _openDestroyFeed();
            reason = why;
            return feed;
        }

        /// <summary>The OS's way to close sockets of any process, ready for many requests; dispose it when done.</summary>
        /// <exception cref="SocketTableException">It could not be opened (id SocketCloseFailed).</exception>
        internal ISocketCloser OpenCloser() => _openCloser();

        private static SocketPlatform? Detect()
        {
            if (LinuxAbi.IsSupported)
            {
                return new SocketPlatform(new LinuxTableReader(), new ProcFdOwnerLookup(), () =>
                {
                    SocketDestroyFeed? feed = SocketDestroyFeed.TryOpen(out string? why);
                    return (feed, why ?? string.Empty);
                }, NetlinkSocketCloser.Open);
            }

            return null;
        }
    }
}
