using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace SockTools.Probe
{
    /// <summary>
    /// Happy Eyeballs for one port: start with the first address, start the next one when the
    /// current attempt fails or has run for <see cref="AttemptDelay"/> without an answer, keep
    /// earlier attempts running, and stop all the others as soon as one connects. Every attempt
    /// has finished (its socket closed) before this returns.
    /// </summary>
    internal static class AddressRace
    {
        /// <summary>RFC 8305's recommended Connection Attempt Delay.</summary>
        internal static readonly TimeSpan AttemptDelay = TimeSpan.FromMilliseconds(250);

        /// <summary>The outcomes of the attempts made, in start order; at most one succeeded.</summary>
        internal static async Task<IReadOnlyList<ConnectOutcome>> RunAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken deadline, ConnectOrigin? origin = null)
        {
            var outcomes = new List<ConnectOutcome>(addresses.Count);
            var running = new List<Task<ConnectOutcome>>();
            using var raceOver = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            int next = 0;

            void StartNext() => running.Add(ConnectAttempt.RunAsync(new IPEndPoint(addresses[next++], port), raceOver.Token, origin));

            StartNext();
            try
            {
                while (running.Count > 0)
                {
                    bool more = next < addresses.Count && !raceOver.IsCancellationRequested;
                    Task? stagger = more ? Task.Delay(AttemptDelay, raceOver.Token) : null;
                    IEnumerable<Task> waitFor = stagger == null ? running : running.Cast<Task>().Append(stagger);
                    Task first = await Task.WhenAny(waitFor).ConfigureAwait(false);
                    if (first == stagger)
                    {
                        if (more && !raceOver.IsCancellationRequested)
                        {
                            StartNext();
                        }

                        continue;
                    }

                    var finished = (Task<ConnectOutcome>)first;
                    running.Remove(finished);
                    ConnectOutcome outcome = finished.Result;
                    outcomes.Add(outcome);
                    if (outcome.Succeeded)
                    {
                        raceOver.Cancel();
                    }
                    else if (next < addresses.Count && !raceOver.IsCancellationRequested)
                    {
                        StartNext();
                    }
                }
            }
            finally
            {
                // Normally empty; on an unexpected exception, still close every socket before leaving.
                raceOver.Cancel();
                await Task.WhenAll(running).ConfigureAwait(false);
            }

            // Attempts stopped because another address won are noise; report them only when nothing won.
            return outcomes.Any(o => o.Succeeded)
                ? outcomes.Where(o => o.Succeeded || !o.Abandoned).ToList()
                : outcomes;
        }
    }
}
