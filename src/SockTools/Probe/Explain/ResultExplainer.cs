using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace SockTools.Probe
{
    /// <summary>
    /// Adds the diagnosis to the results of one run that need it: targets on this host that were Refused or
    /// TimedOut. An Open result, or one for another host, costs one comparison: the table is read only when there
    /// is something to explain, then once for many targets, and processes are looked up only when something
    /// listens on the failed port (<see cref="ListenerSnapshot"/>). A connect made from another network namespace
    /// is explained by that namespace's addresses and table, which is where it failed.
    /// </summary>
    internal sealed class ResultExplainer
    {
        private readonly Place _here = new Place(null);
        private readonly ConcurrentDictionary<ConnectOrigin, Place> _elsewhere = new ConcurrentDictionary<ConnectOrigin, Place>();

        /// <summary>True for a result this explainer would explain (cheap: no table read).</summary>
        /// <param name="result">The result.</param>
        /// <param name="origin">The network namespace it connected from; null for PowerShell's own.</param>
        internal bool Wants(PortTestResult result, ConnectOrigin? origin = null)
            => (result.Status == PortStatus.Refused || result.Status == PortStatus.TimedOut)
               && result.RemoteAddress != null
               && IPAddress.TryParse(result.RemoteAddress, out IPAddress? address)
               && PlaceOf(origin).Local.Contains(address);

        /// <summary>The results, each one that <see cref="Wants"/> an explanation with its diagnosis.</summary>
        /// <param name="results">One target's results (one per address with -PerAddress).</param>
        /// <param name="origin">The network namespace they connected from; null for PowerShell's own.</param>
        /// <param name="note">Hears, for -Verbose, when and how fast the table was read, or why it could not be.</param>
        internal IReadOnlyList<PortTestResult> Explain(IReadOnlyList<PortTestResult> results, ConnectOrigin? origin, Action<string>? note)
        {
            ListenerSnapshot listenersThere = PlaceOf(origin).Listeners;
            PortTestResult[]? explained = null;
            for (int i = 0; i < results.Count; i++)
            {
                PortTestResult result = results[i];
                if (!Wants(result, origin) || listenersThere.All(note) is not IReadOnlyList<SocketEntry> all)
                {
                    continue;
                }

                IReadOnlyList<SocketEntry> listeners = all;
                if (all.Any(l => l.LocalPort == result.Port)
                    && listenersThere.OnPortWithOwners(result.Port, note) is IReadOnlyList<SocketEntry> owned)
                {
                    // The listeners of the port with their processes, to name them; the others for nearby ports.
                    listeners = all.Where(l => l.LocalPort != result.Port).Concat(owned).ToList();
                }

                if (PortDiagnostician.Diagnose(IPAddress.Parse(result.RemoteAddress!), result.Port, result.Status, listeners, origin is null ? "this host" : $"network namespace {origin.Label}") is (PortDiagnosis diagnosis, string explanation))
                {
                    explained ??= results.ToArray();
                    explained[i] = result.WithDiagnosis(diagnosis, explanation);
                }
            }

            return explained ?? results;
        }

        private Place PlaceOf(ConnectOrigin? origin) => origin is null ? _here : _elsewhere.GetOrAdd(origin, o => new Place(o));

        /// <summary>One network namespace connected from: its addresses and its listeners.</summary>
        private sealed class Place
        {
            internal Place(ConnectOrigin? origin)
            {
                Local = new LocalAddresses(origin);
                Listeners = new ListenerSnapshot(origin?.Scope);
            }

            internal LocalAddresses Local { get; }

            internal ListenerSnapshot Listeners { get; }
        }
    }
}
