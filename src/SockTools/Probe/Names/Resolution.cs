using System;
using System.Collections.Generic;
using System.Net;

namespace SockTools.Probe
{
    /// <summary>What name resolution gave: the addresses to try in order, or why there are none.</summary>
    internal sealed class Resolution
    {
        private Resolution(IReadOnlyList<IPAddress> addresses, string? problem)
        {
            Addresses = addresses;
            Problem = problem;
        }

        internal IReadOnlyList<IPAddress> Addresses { get; }

        /// <summary>Null when there are addresses.</summary>
        internal string? Problem { get; }

        internal static Resolution Of(IReadOnlyList<IPAddress> addresses) => new Resolution(addresses, null);

        internal static Resolution Failed(string problem) => new Resolution(Array.Empty<IPAddress>(), problem);
    }
}
