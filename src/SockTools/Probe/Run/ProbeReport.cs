using System.Collections.Generic;

namespace SockTools.Probe
{
    /// <summary>What the probe threads hand to the pipeline thread, which alone writes to PowerShell.</summary>
    internal abstract class ProbeReport
    {
        protected ProbeReport(ProbeTarget target) => Target = target;

        internal ProbeTarget Target { get; }
    }

    /// <summary>A target is done: its results, and whether they are what was asked for.</summary>
    internal sealed class ProbeFinished : ProbeReport
    {
        internal ProbeFinished(ProbeTarget target, IReadOnlyList<PortTestResult> results, bool conditionMet, bool waitExpired)
            : base(target)
        {
            Results = results;
            ConditionMet = conditionMet;
            WaitExpired = waitExpired;
        }

        internal IReadOnlyList<PortTestResult> Results { get; }

        /// <summary>Without -Wait: every result is Open. With -Wait: the -Until condition held.</summary>
        internal bool ConditionMet { get; }

        /// <summary>-Wait ran out of time before the condition held.</summary>
        internal bool WaitExpired { get; }

        /// <summary>The same report with the given (explained) results.</summary>
        internal ProbeFinished With(IReadOnlyList<PortTestResult> results) => new ProbeFinished(Target, results, ConditionMet, WaitExpired);
    }

    /// <summary>A waiting target tried and will try again.</summary>
    internal sealed class ProbeRetrying : ProbeReport
    {
        internal ProbeRetrying(WaitTry tried)
            : base(tried.Target) => Tried = tried;

        internal WaitTry Tried { get; }
    }

    /// <summary>Something a probe thread did that -Verbose tells (the addresses a name resolved to).</summary>
    internal sealed class ProbeNote : ProbeReport
    {
        internal ProbeNote(ProbeTarget target, string text)
            : base(target) => Text = text;

        internal string Text { get; }
    }
}
