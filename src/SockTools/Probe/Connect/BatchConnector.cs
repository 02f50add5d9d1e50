using System;
using System.Threading;
using SockTools.Probe.Linux;

namespace SockTools.Probe
{
    /// <summary>
    /// The one place the connect engine asks which OS this is: Linux (64-bit) has a poll() batch connector;
    /// elsewhere every target takes the general asynchronous path (<see cref="TargetTry"/>).
    /// </summary>
    internal static class BatchConnector
    {
        /// <summary>True where this OS has a batch connector.</summary>
        internal static bool IsAvailable => PollConnector.IsSupported;

        /// <summary>What the general path needs to know when it is taken instead: why no batch connector exists here.</summary>
        internal static string Unavailable => "the poll() fast path needs Linux and a 64-bit process";

        /// <param name="timeout">How long each connect may take.</param>
        /// <param name="slots">The throttle shared with the general path.</param>
        /// <param name="cancel">Ctrl+C: close everything in flight.</param>
        /// <param name="done">Called on a worker thread with every answered or timed-out target.</param>
        /// <param name="dropped">Called for targets abandoned because the command is stopping.</param>
        /// <param name="origin">The network namespace every connect starts from; null for PowerShell's own.</param>
        internal static IBatchConnector Create(TimeSpan timeout, SemaphoreSlim slots, CancellationToken cancel, Action<ProbeTarget, ConnectOutcome> done, Action<ProbeTarget> dropped, ConnectOrigin? origin = null)
            => IsAvailable
                ? new PollConnector(timeout, slots, cancel, done, dropped, origin)
                : throw new PlatformNotSupportedException(Unavailable);
    }
}
