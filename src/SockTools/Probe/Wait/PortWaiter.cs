using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace SockTools.Probe
{
    /// <summary>Tries one connect per target.</summary>
    internal delegate Task<IReadOnlyList<PortTestResult>> TryConnect(TimeSpan timeout, CancellationToken cancel);

    /// <summary>
    /// -Wait: try, and until the condition holds or the deadline passes, pause and try again.
    /// The deadline counts from when the target was handed in, so a wait never runs longer than
    /// asked however busy the other targets keep the throttle. The last pause ends at the deadline
    /// for one final try there.
    /// </summary>
    internal static class PortWaiter
    {
        internal static async Task<WaitOutcome> RunAsync(ProbeTarget target, ProbeOptions options, TryConnect tryConnect, Action<WaitTry> notMetYet, CancellationToken cancel)
        {
            Stopwatch clock = Stopwatch.StartNew();
            for (int attempt = 1; ; attempt++)
            {
                TimeSpan left = options.Timeout - clock.Elapsed;
                TimeSpan tryTimeout = left < ProbeOptions.MinimumTry ? ProbeOptions.MinimumTry : left < options.TryTimeout ? left : options.TryTimeout;
                IReadOnlyList<PortTestResult> tried = await tryConnect(tryTimeout, cancel).ConfigureAwait(false);
                int attempts = attempt;
                IReadOnlyList<PortTestResult> results = tried.Select(r => r.WithAttempts(attempts)).ToList();

                if (WaitCondition.IsMet(options.Until, results))
                {
                    return new WaitOutcome(results, true);
                }

                left = options.Timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    return new WaitOutcome(results, false);
                }

                notMetYet(new WaitTry(target, attempt, results, clock.Elapsed, options.Timeout));
                await Task.Delay(left < options.Interval ? left : options.Interval, cancel).ConfigureAwait(false);
            }
        }
    }
}
