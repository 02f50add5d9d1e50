using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class PortWaiterTests
    {
        private static readonly ProbeTarget Target = new ProbeTarget("db", null, 5432);

        /// <summary>A fake connect that answers with the given statuses in turn (the last one forever) and records each try's timeout.</summary>
        private sealed class Script
        {
            private readonly PortStatus[] _answers;
            internal readonly List<TimeSpan> Timeouts = new List<TimeSpan>();

            internal Script(params PortStatus[] answers) => _answers = answers;

            internal Task<IReadOnlyList<PortTestResult>> Try(TimeSpan timeout, CancellationToken cancel)
            {
                cancel.ThrowIfCancellationRequested();
                PortStatus status = _answers[Math.Min(Timeouts.Count, _answers.Length - 1)];
                Timeouts.Add(timeout);
                return Task.FromResult<IReadOnlyList<PortTestResult>>(new[] { WaitConditionTests.Result(status) });
            }
        }

        private static ProbeOptions Options(double timeoutSeconds, PortCondition until = PortCondition.Open)
            => new ProbeOptions { Wait = true, Until = until, Timeout = TimeSpan.FromSeconds(timeoutSeconds), Interval = TimeSpan.FromMilliseconds(10) };

        [Fact]
        public async Task Retries_until_open_and_counts_the_tries()
        {
            var script = new Script(PortStatus.Refused, PortStatus.TimedOut, PortStatus.Open);
            var retries = new List<WaitTry>();
            WaitOutcome outcome = await PortWaiter.RunAsync(Target, Options(30), script.Try, retries.Add, CancellationToken.None);

            Assert.True(outcome.ConditionMet);
            PortTestResult result = Assert.Single(outcome.Results);
            Assert.Equal(PortStatus.Open, result.Status);
            Assert.Equal(3, result.Attempts);
            Assert.Equal(new[] { 1, 2 }, retries.Select(r => r.Attempt));
            Assert.Equal(PortStatus.TimedOut, retries[1].Results[0].Status);
        }

        [Fact]
        public async Task Each_try_lasts_at_most_as_long_as_one_test_without_wait()
        {
            var script = new Script(PortStatus.Refused, PortStatus.Open);
            await PortWaiter.RunAsync(Target, Options(30), script.Try, _ => { }, CancellationToken.None);
            Assert.All(script.Timeouts, t => Assert.Equal(ProbeOptions.DefaultTimeout, t));
        }

        [Fact]
        public async Task Gives_up_at_the_deadline_with_the_last_answer()
        {
            var script = new Script(PortStatus.Refused);
            var clock = Stopwatch.StartNew();
            WaitOutcome outcome = await PortWaiter.RunAsync(Target, Options(0.3), script.Try, _ => { }, CancellationToken.None);

            Assert.False(outcome.ConditionMet);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.3), $"gave up after {clock.Elapsed}");
            PortTestResult last = Assert.Single(outcome.Results);
            Assert.Equal(PortStatus.Refused, last.Status);
            Assert.True(last.Attempts >= 2, $"{last.Attempts} tries");
            Assert.All(script.Timeouts, t => Assert.True(t <= TimeSpan.FromSeconds(0.3)));
        }

        [Fact]
        public async Task Until_closed_waits_for_anything_but_open()
        {
            var script = new Script(PortStatus.Open, PortStatus.Open, PortStatus.Refused);
            WaitOutcome outcome = await PortWaiter.RunAsync(Target, Options(30, PortCondition.Closed), script.Try, _ => { }, CancellationToken.None);
            Assert.True(outcome.ConditionMet);
            Assert.Equal(3, outcome.Results[0].Attempts);
        }

        [Fact]
        public async Task Without_a_time_limit_keeps_trying_with_tries_no_longer_than_one_test()
        {
            // Twenty refusals would end a 0.1 s wait (10 ms apart) long before; without a limit it goes on until the port opens.
            var answers = new PortStatus[21];
            for (int i = 0; i < 20; i++)
            {
                answers[i] = PortStatus.Refused;
            }

            answers[20] = PortStatus.Open;
            var script = new Script(answers);
            var retries = new List<WaitTry>();
            var options = Options(30);
            options.Timeout = ProbeOptions.NoLimit;
            WaitOutcome outcome = await PortWaiter.RunAsync(Target, options, script.Try, retries.Add, CancellationToken.None);

            Assert.True(outcome.ConditionMet);
            Assert.Equal(21, outcome.Results[0].Attempts);
            Assert.All(retries, r => Assert.False(r.HasTimeLimit));
            Assert.All(script.Timeouts, t => Assert.Equal(ProbeOptions.DefaultTimeout, t));
        }

        [Fact]
        public async Task Cancelling_ends_a_wait_without_a_time_limit()
        {
            var script = new Script(PortStatus.Refused);
            var options = Options(30);
            options.Timeout = ProbeOptions.NoLimit;
            using var cancel = new CancellationTokenSource();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => PortWaiter.RunAsync(Target, options, script.Try, tried => { if (tried.Attempt == 5) { cancel.Cancel(); } }, cancel.Token));
            Assert.Equal(5, script.Timeouts.Count);
        }

        [Fact]
        public async Task Cancelling_ends_the_wait_at_once()
        {
            var script = new Script(PortStatus.Refused);
            var options = Options(30);
            options.Interval = TimeSpan.FromSeconds(30);
            using var cancel = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PortWaiter.RunAsync(Target, options, script.Try, _ => cancel.Cancel(), cancel.Token));

            // The 30 s pause was cut short.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        }
    }
}
