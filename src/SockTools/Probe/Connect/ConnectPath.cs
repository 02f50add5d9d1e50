using System.Collections.Generic;

namespace SockTools.Probe
{
    /// <summary>
    /// Which of the two connect paths a target takes, and why: the Linux poll() fast path for an IP
    /// address tried once, the general asynchronous path for everything else. -Verbose tells the reason.
    /// </summary>
    internal static class ConnectPath
    {
        internal static bool IsFast(ProbeTarget target, ProbeOptions options)
            => target.Literal != null && !options.Wait && BatchConnector.IsAvailable;

        internal static string Describe(ProbeTarget target, ProbeOptions options)
        {
            if (IsFast(target, options))
            {
                return $"{target.Endpoint}: connecting{target.FromWhere} through the Linux poll() fast path (an IP address, tried once).";
            }

            var why = new List<string>();
            if (target.Literal == null)
            {
                why.Add($"'{target.ComputerName}' is a name to resolve");
            }

            if (options.Wait)
            {
                why.Add("-Wait tries again");
            }

            if (!BatchConnector.IsAvailable)
            {
                why.Add(BatchConnector.Unavailable);
            }

            return $"{target.Endpoint}: connecting{target.FromWhere} through the general path ({string.Join("; ", why)}).";
        }
    }
}
