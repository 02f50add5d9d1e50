using System.Collections.Generic;

namespace SockTools.Probe
{
    /// <summary>The last try's results and whether the wait condition was met before the deadline.</summary>
    internal sealed class WaitOutcome
    {
        internal WaitOutcome(IReadOnlyList<PortTestResult> results, bool conditionMet)
        {
            Results = results;
            ConditionMet = conditionMet;
        }

        internal IReadOnlyList<PortTestResult> Results { get; }

        internal bool ConditionMet { get; }
    }
}
