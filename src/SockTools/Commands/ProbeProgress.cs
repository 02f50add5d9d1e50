using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using SockTools.Probe;

namespace SockTools.Commands
{
    /// <summary>
    /// Test-SockPort's progress bar, written from the pipeline thread: while waiting, which target
    /// and how long is left; for a large batch, how many are done. Updates are rate-limited, and a
    /// quick batch finishes before any bar would flash.
    /// </summary>
    internal sealed class ProbeProgress
    {
        private const int ActivityId = 5432;
        private static readonly TimeSpan BatchShowsAfter = TimeSpan.FromSeconds(0.5);
        private static readonly TimeSpan MinimumGap = TimeSpan.FromMilliseconds(250);

        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Dictionary<string, WaitTry> _waiting = new Dictionary<string, WaitTry>(StringComparer.OrdinalIgnoreCase);
        private readonly PortCondition _until;
        private TimeSpan? _lastShown;
        private string? _activity;

        internal ProbeProgress(PortCondition until) => _until = until;

        internal void Retrying(WaitTry tried) => _waiting[tried.Target.Endpoint] = tried;

        internal void Finished(ProbeTarget target) => _waiting.Remove(target.Endpoint);

        internal void Update(Cmdlet cmdlet, ProbeRunner runner)
        {
            TimeSpan now = _clock.Elapsed;
            if (_lastShown is TimeSpan last && now - last < MinimumGap)
            {
                return;
            }

            ProgressRecord? record = _waiting.Count > 0 ? WaitRecord() : BatchRecord(runner, now);
            if (record != null)
            {
                _activity = record.Activity;
                _lastShown = now;
                cmdlet.WriteProgress(record);
            }
        }

        internal void Complete(Cmdlet cmdlet)
        {
            if (_activity != null)
            {
                cmdlet.WriteProgress(new ProgressRecord(ActivityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
                _activity = null;
            }
        }

        private ProgressRecord WaitRecord()
        {
            // The target closest to its deadline decides the bar (one without a limit only when all are).
            WaitTry soonest = _waiting.Values.OrderBy(w => w.HasTimeLimit ? 0 : 1).ThenBy(w => w.Left).First();
            string goal = _until == PortCondition.Open ? "open" : "close";
            string activity = _waiting.Count == 1
                ? $"Waiting for {soonest.Target.Endpoint} to {goal}"
                : $"Waiting for {_waiting.Count} ports to {goal}";
            PortTestResult last = soonest.Results.FirstOrDefault(r => r.Status == PortStatus.Open) ?? soonest.Results.First();
            if (!soonest.HasTimeLimit)
            {
                // -TimeoutSeconds 0: nothing to count down to; the bar says how long it has waited.
                string waited = $"{soonest.Target.Endpoint}: try {soonest.Attempt} {last.Status}; waiting {Seconds(soonest.Elapsed)} s so far, no time limit";
                return new ProgressRecord(ActivityId, activity, waited);
            }

            string status = $"{soonest.Target.Endpoint}: try {soonest.Attempt} {last.Status}; {Seconds(soonest.Left)} s left";
            return new ProgressRecord(ActivityId, activity, status)
            {
                PercentComplete = Percent(soonest.Elapsed.TotalSeconds, soonest.Timeout.TotalSeconds),
                SecondsRemaining = (int)Math.Ceiling(soonest.Left.TotalSeconds),
            };
        }

        private static ProgressRecord? BatchRecord(ProbeRunner runner, TimeSpan now)
        {
            int started = runner.Started;
            if (started < 2 || now < BatchShowsAfter || runner.Pending == 0)
            {
                return null;
            }

            int finished = runner.Finished;
            return new ProgressRecord(ActivityId, $"Testing {started} ports", $"{finished} of {started} done")
            {
                PercentComplete = Percent(finished, started),
            };
        }

        private static int Percent(double done, double total)
            => total <= 0 ? 0 : (int)Math.Max(0, Math.Min(100, done * 100 / total));

        private static string Seconds(TimeSpan span) => Math.Ceiling(span.TotalSeconds).ToString(CultureInfo.InvariantCulture);
    }
}
