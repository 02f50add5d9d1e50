using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;

namespace SockTools.Probe
{
    /// <summary>
    /// Adds the diagnosis to the results of one run that need it: targets on this host that were Refused or
    /// TimedOut. An Open result, or one for another host, costs one comparison: the table is read only when there
    /// is something to explain, then once for many targets, and processes are looked up only when something
    /// listens on the failed port (<see cref="ListenerSnapshot"/>).
    /// </summary>
    internal sealed class ResultExplainer
    {
        private readonly LocalAddresses _local = new LocalAddresses();
        private readonly ListenerSnapshot _listeners = new ListenerSnapshot();

        /// <summary>True for a result this explainer would explain (cheap: no table read).</summary>
        internal bool Wants(PortTestResult result)
            => (result.Status == PortStatus.Refused || result.Status == PortStatus.TimedOut)
               && result.RemoteAddress != null
               && IPAddress.TryParse(result.RemoteAddress, out IPAddress? address)
               && _local.Contains(address);

        /// <summary>The results, each one that <see cref="Wants"/> an explanation with its diagnosis.</summary>
        /// <param name="results">One target's results (one per address with -PerAddress).</param>
        /// <param name="note">Hears, for -Verbose, when and how fast the table was read, or why it could not be.</param>
        internal async Task<IReadOnlyList<PortTestResult>> ExplainAsync(IReadOnlyList<PortTestResult> results, Action<string>? note)
        {
            PortTestResult[]? explained = null;
            for (int i = 0; i < results.Count; i++)
            {
                PortTestResult result = results[i];
                if (!Wants(result) || await _listeners.All(note).ConfigureAwait(false) is not IReadOnlyList<SocketEntry> all)
                {
                    continue;
                }

                IReadOnlyList<SocketEntry> listeners = all;
                if (all.Any(l => l.LocalPort == result.Port)
                    && await _listeners.OnPortWithOwners(result.Port, note).ConfigureAwait(false) is IReadOnlyList<SocketEntry> owned)
                {
                    // The listeners of the port with their processes, to name them; the others for nearby ports.
                    listeners = all.Where(l => l.LocalPort != result.Port).Concat(owned).ToList();
                }

                if (PortDiagnostician.Diagnose(IPAddress.Parse(result.RemoteAddress!), result.Port, result.Status, listeners) is (PortDiagnosis diagnosis, string explanation))
                {
                    explained ??= results.ToArray();
                    explained[i] = result.WithDiagnosis(diagnosis, explanation);
                }
            }

            return explained ?? results;
        }
    }
}
