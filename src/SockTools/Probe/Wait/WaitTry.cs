using System;
using System.Collections.Generic;

namespace SockTools.Probe
{
    /// <summary>A try that did not meet the wait condition yet: what progress and -Verbose show.</summary>
    internal sealed class WaitTry
    {
        internal WaitTry(ProbeTarget target, int attempt, IReadOnlyList<PortTestResult> results, TimeSpan elapsed, TimeSpan timeout)
        {
            Target = target;
            Attempt = attempt;
            Results = results;
            Elapsed = elapsed;
            Timeout = timeout;
        }

        internal ProbeTarget Target { get; }

        internal int Attempt { get; }

        internal IReadOnlyList<PortTestResult> Results { get; }

        internal TimeSpan Elapsed { get; }

        internal TimeSpan Timeout { get; }

        /// <summary>False for a wait without a time limit; then <see cref="Left"/> means nothing.</summary>
        internal bool HasTimeLimit => Timeout != ProbeOptions.NoLimit;

        internal TimeSpan Left => Timeout > Elapsed ? Timeout - Elapsed : TimeSpan.Zero;
    }
}
