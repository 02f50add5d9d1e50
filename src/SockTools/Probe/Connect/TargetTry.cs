using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;

namespace SockTools.Probe
{
    /// <summary>
    /// One try at one target: resolve the name and connect, all within <c>timeout</c>. Gives one
    /// result (the first address that connects wins), or one per address with <c>perAddress</c>.
    /// Throws only OperationCanceledException, when <c>cancel</c> fires. <c>note</c>, when given,
    /// hears what -Verbose tells: the addresses a name resolved to, in the order they are tried.
    /// </summary>
    internal static class TargetTry
    {
        internal static async Task<IReadOnlyList<PortTestResult>> TryOnceAsync(ProbeTarget target, bool perAddress, TimeSpan timeout, CancellationToken cancel, Action<string>? note = null)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            deadline.CancelAfter(timeout);

            long started = Stopwatch.GetTimestamp();
            Resolution resolution = await NameResolver.ResolveAsync(target, timeout, deadline.Token, cancel).ConfigureAwait(false);
            if (note != null && target.Literal == null)
            {
                note(ProbeNarration.Resolved(target, resolution, Stopwatch.GetTimestamp() - started));
            }

            if (resolution.Problem != null)
            {
                return new[] { Result(target, null, PortStatus.NameResolutionFailed, null, null, resolution.Problem) };
            }

            IReadOnlyList<PortTestResult> results = perAddress
                ? await EachAddressAsync(target, resolution.Addresses, timeout, deadline.Token).ConfigureAwait(false)
                : new[] { await FirstToConnectAsync(target, resolution.Addresses, timeout, deadline.Token).ConfigureAwait(false) };

            // Stopped attempts look like timeouts; after Ctrl+C they must not be reported at all.
            cancel.ThrowIfCancellationRequested();
            return results;
        }

        private static async Task<PortTestResult> FirstToConnectAsync(ProbeTarget target, IReadOnlyList<IPAddress> addresses, TimeSpan timeout, CancellationToken deadline)
        {
            IReadOnlyList<ConnectOutcome> outcomes = await AddressRace.RunAsync(addresses, target.Port, deadline, target.Origin).ConfigureAwait(false);
            ConnectOutcome reported = RaceVerdict.Pick(outcomes);
            return FromOutcome(target, reported, RaceVerdict.Message(reported, outcomes, addresses.Count, target.Port, timeout));
        }

        private static async Task<IReadOnlyList<PortTestResult>> EachAddressAsync(ProbeTarget target, IReadOnlyList<IPAddress> addresses, TimeSpan timeout, CancellationToken deadline)
        {
            ConnectOutcome[] outcomes = await Task.WhenAll(
                addresses.Select(a => ConnectAttempt.RunAsync(new IPEndPoint(a, target.Port), deadline, target.Origin))).ConfigureAwait(false);
            return outcomes.Select(o => FromOutcome(target, o, OutcomeStatus.Message(o, target.Port, timeout))).ToList();
        }

        /// <summary>The result of one connect to a target given as an address (the fast path's answer).</summary>
        internal static PortTestResult ResultOf(ProbeTarget target, ConnectOutcome outcome, TimeSpan timeout)
            => FromOutcome(target, outcome, OutcomeStatus.Message(outcome, target.Port, timeout));

        private static PortTestResult FromOutcome(ProbeTarget target, ConnectOutcome outcome, string? message)
        {
            PortStatus status = OutcomeStatus.Of(outcome);
            return Result(target, outcome.Address.ToString(), status, outcome.Latency, outcome.Local, message);
        }

        private static PortTestResult Result(ProbeTarget target, string? remoteAddress, PortStatus status, double? latency, IPEndPoint? local, string? message)
        {
            IPAddress? localAddress = local?.Address;
            if (localAddress != null && localAddress.IsIPv4MappedToIPv6)
            {
                localAddress = localAddress.MapToIPv4();
            }

            return new PortTestResult(
                target.ComputerName,
                remoteAddress,
                target.Port,
                status,
                status == PortStatus.TimedOut ? null : latency,
                localAddress?.ToString(),
                local?.Port,
                attempts: 1,
                message,
                networkNamespace: target.Origin?.Label);
        }
    }
}
