using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SockTools.Probe
{
    /// <summary>
    /// Which of several attempts (one per address of a name) a single result reports: the winner,
    /// else the most telling failure. A refusal is an answer from the host and says more than
    /// silence, so it outranks unreachable, no free local port, other errors and timeouts; ties go to the address
    /// tried first. The message still names what the other addresses did.
    /// </summary>
    internal static class RaceVerdict
    {
        internal static ConnectOutcome Pick(IReadOnlyList<ConnectOutcome> outcomes)
        {
            if (outcomes.Count == 0)
            {
                throw new ArgumentException("A race has at least one attempt.", nameof(outcomes));
            }

            ConnectOutcome? winner = outcomes.FirstOrDefault(o => o.Succeeded);
            if (winner != null)
            {
                return winner;
            }

            return outcomes
                .Select((outcome, order) => (outcome, order))
                .OrderBy(x => Rank(OutcomeStatus.Of(x.outcome)))
                .ThenBy(x => x.order)
                .First().outcome;
        }

        /// <summary>The reported outcome's message, followed by what the other addresses did when they failed too.</summary>
        internal static string? Message(ConnectOutcome reported, IReadOnlyList<ConnectOutcome> outcomes, int addressCount, int port, TimeSpan timeout)
        {
            string? message = OutcomeStatus.Message(reported, port, timeout);
            if (message == null)
            {
                return null;
            }

            var text = new StringBuilder(message);
            List<ConnectOutcome> others = outcomes.Where(o => !ReferenceEquals(o, reported)).ToList();
            if (others.Count > 0)
            {
                text.Append(" Also tried: ")
                    .Append(string.Join(", ", others.Select(o => $"{o.Address} ({OutcomeStatus.Of(o)})")))
                    .Append('.');
            }

            int untried = addressCount - outcomes.Count;
            if (untried > 0)
            {
                text.Append(' ').Append(untried).Append(untried == 1 ? " more address was" : " more addresses were").Append(" not tried before the timeout.");
            }

            return text.ToString();
        }

        private static int Rank(PortStatus status) => status switch
        {
            PortStatus.Open => 0,
            PortStatus.Refused => 1,
            PortStatus.Unreachable => 2,
            PortStatus.NoFreeLocalPort => 3,
            PortStatus.Error => 4,
            _ => 5,
        };
    }
}
