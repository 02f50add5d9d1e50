using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace SockTools.Probe
{
    /// <summary>
    /// Resolves a target's name within its deadline. The netstandard2.0 DNS call cannot be
    /// cancelled, so the deadline races it and a lookup that loses is left to finish on its own
    /// (its failure observed, so it never surfaces as an unobserved task exception).
    /// </summary>
    internal static class NameResolver
    {
        /// <summary>The addresses in Happy Eyeballs order, or the reason there are none. Throws only when <paramref name="cancel"/> fires.</summary>
        internal static async Task<Resolution> ResolveAsync(ProbeTarget target, TimeSpan timeout, CancellationToken deadline, CancellationToken cancel)
        {
            if (target.Literal != null)
            {
                return Resolution.Of(new[] { target.Literal });
            }

            Task<IPAddress[]> lookup;
            try
            {
                lookup = Dns.GetHostAddressesAsync(target.ComputerName);
            }
            catch (Exception e) when (e is ArgumentException || e is SocketException)
            {
                return Resolution.Failed(NotResolved(target, e.Message));
            }

            var expired = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (deadline.Register(() => expired.TrySetResult(true)))
            {
                Task first = await Task.WhenAny(lookup, expired.Task).ConfigureAwait(false);
                cancel.ThrowIfCancellationRequested();
                if (first != lookup)
                {
                    _ = lookup.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    return Resolution.Failed($"Name resolution of '{target.ComputerName}' did not finish within {Seconds(timeout)} s; nothing was sent to the port.");
                }
            }

            IPAddress[] addresses;
            try
            {
                addresses = await lookup.ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                return Resolution.Failed(NotResolved(target, e.Message));
            }
            catch (ArgumentException e)
            {
                return Resolution.Failed(NotResolved(target, e.Message));
            }

            List<IPAddress> ordered = AddressOrder.Interleave(addresses);
            return ordered.Count > 0
                ? Resolution.Of(ordered)
                : Resolution.Failed(NotResolved(target, "it has no IPv4 or IPv6 address"));
        }

        internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

        private static string NotResolved(ProbeTarget target, string why)
            => $"'{target.ComputerName}' could not be resolved: {why}." + (target.Origin is null ? string.Empty
                : $" Names are resolved by this host's resolver, not inside network namespace {target.Origin.Label}; give an IP address to test what the namespace reaches.");
    }
}
