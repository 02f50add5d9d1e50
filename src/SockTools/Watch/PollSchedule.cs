using System;
using System.Diagnostics;

namespace SockTools.Watch
{
    /// <summary>
    /// When a watch looks at the table: on a fixed grid of intervals from its start, so slow reads do not
    /// stretch the interval, with the last look landing exactly on the timeout.
    /// </summary>
    internal sealed class PollSchedule
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly TimeSpan _interval;
        private readonly TimeSpan? _timeout;

        internal PollSchedule(TimeSpan interval, TimeSpan? timeout)
        {
            _interval = interval;
            _timeout = timeout;
        }

        /// <summary>True once the timeout has passed: no look is left.</summary>
        internal bool IsOver => _timeout is TimeSpan limit && _clock.Elapsed >= limit;

        /// <summary>How long to wait from now until the next look.</summary>
        internal TimeSpan UntilNext()
        {
            TimeSpan now = _clock.Elapsed;
            var next = TimeSpan.FromTicks(_interval.Ticks * ((now.Ticks / _interval.Ticks) + 1));
            if (_timeout is TimeSpan end && next > end)
            {
                next = end;
            }

            return next > now ? next - now : TimeSpan.Zero;
        }
    }
}
