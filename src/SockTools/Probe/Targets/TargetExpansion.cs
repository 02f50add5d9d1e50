using System.Collections.Generic;

namespace SockTools.Probe
{
    /// <summary>
    /// Every name times every port. A port written into the name (db01:5432) belongs to that name
    /// only and replaces -Port for it; a name with neither is returned as missing its port.
    /// </summary>
    internal static class TargetExpansion
    {
        internal static List<ProbeTarget> Expand(IEnumerable<TargetName> names, IReadOnlyCollection<int>? ports, List<TargetName> missingPort, ConnectOrigin? origin = null)
        {
            var targets = new List<ProbeTarget>();
            foreach (TargetName name in names)
            {
                if (name.Port is int inline)
                {
                    targets.Add(new ProbeTarget(name.Host, name.Literal, inline, origin));
                }
                else if (ports is { Count: > 0 })
                {
                    foreach (int port in ports)
                    {
                        targets.Add(new ProbeTarget(name.Host, name.Literal, port, origin));
                    }
                }
                else
                {
                    missingPort.Add(name);
                }
            }

            return targets;
        }
    }
}
