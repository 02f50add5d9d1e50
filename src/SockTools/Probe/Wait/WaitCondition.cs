using System.Collections.Generic;
using System.Linq;

namespace SockTools.Probe
{
    /// <summary>When a try's results are what -Wait -Until asks for. With -PerAddress, every address must agree.</summary>
    internal static class WaitCondition
    {
        internal static bool IsMet(PortCondition until, IReadOnlyList<PortTestResult> results)
            => until == PortCondition.Open
                ? results.Count > 0 && results.All(r => r.Status == PortStatus.Open)
                : results.All(r => r.Status != PortStatus.Open);
    }
}
