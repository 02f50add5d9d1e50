using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace SockTools.Probe
{
    /// <summary>
    /// The lines -Verbose writes about each target: what its name resolved to, and every try with its
    /// outcome, including the last one at the deadline and the one that ends a wait. (The connect path
    /// and its reason come from <see cref="ConnectPath"/>.)
    /// </summary>
    internal static class ProbeNarration
    {
        internal static string Resolved(ProbeTarget target, Resolution resolution, long elapsedTicks)
        {
            if (resolution.Problem != null)
            {
                return $"{target.Endpoint}: {resolution.Problem}";
            }

            string addresses = string.Join(", ", resolution.Addresses);
            string order = resolution.Addresses.Count > 1 ? "; trying them in this order" : string.Empty;
            return $"{target.Endpoint}: '{target.ComputerName}' resolved to {addresses} in {Milliseconds(elapsedTicks)} ms{order}.";
        }

        /// <summary>A try that did not end the wait; the next one follows after the interval.</summary>
        internal static string Retrying(WaitTry tried)
        {
            string left = tried.HasTimeLimit ? $"{NameResolver.Seconds(tried.Left)} s left" : "no time limit";
            return $"{tried.Target.Endpoint}: try {tried.Attempt} {Outcome(tried.Results)}; {left}.";
        }

        /// <summary>The try that ended the target: its only one, the one that met the wait, or the last one at the deadline.</summary>
        internal static string Finished(ProbeFinished finished, ProbeOptions options)
        {
            int attempt = finished.Results.Count > 0 ? finished.Results[0].Attempts : 1;
            string line = $"{finished.Target.Endpoint}: try {attempt} {Outcome(finished.Results)}";
            if (!options.Wait)
            {
                return line + ".";
            }

            if (!finished.WaitExpired)
            {
                return line + $"; the port is {(options.Until == PortCondition.Open ? "open" : "closed")}, so the wait ends.";
            }

            return line + $"; that was the last try: the {NameResolver.Seconds(options.Timeout)} s are up.";
        }

        private static string Outcome(IReadOnlyList<PortTestResult> results)
        {
            if (results.Count == 1)
            {
                PortTestResult r = results[0];
                string via = r.RemoteAddress != null ? " via " + r.RemoteAddress : string.Empty;
                string took = r.LatencyMs is double ms ? $" in {ms.ToString("0.###", CultureInfo.InvariantCulture)} ms" : string.Empty;
                return r.Status + via + took;
            }

            return string.Join(", ", results.Select(r => $"{r.RemoteAddress} {r.Status}"));
        }

        private static string Milliseconds(long ticks)
            => (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.###", CultureInfo.InvariantCulture);
    }
}
