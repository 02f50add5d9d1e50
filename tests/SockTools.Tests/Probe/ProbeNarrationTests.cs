using System;
using System.Diagnostics;
using System.Net;
using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class ProbeNarrationTests
    {
        private static readonly ProbeTarget Target = new ProbeTarget("localhost", null, 5432);

        private static PortTestResult Result(PortStatus status, string? address, double? latency, int attempts = 1)
            => new PortTestResult("localhost", address, 5432, status, latency, null, null, attempts, null);

        [Fact]
        public void Tells_what_a_name_resolved_to_in_the_order_tried()
        {
            Resolution resolved = Resolution.Of(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback });
            string line = ProbeNarration.Resolved(Target, resolved, Stopwatch.Frequency / 500); // 2 ms
            Assert.Equal("localhost:5432: 'localhost' resolved to ::1, 127.0.0.1 in 2 ms; trying them in this order.", line);
        }

        [Fact]
        public void Tells_why_a_name_did_not_resolve()
        {
            string line = ProbeNarration.Resolved(Target, Resolution.Failed("'localhost' could not be resolved: no."), 0);
            Assert.Equal("localhost:5432: 'localhost' could not be resolved: no.", line);
        }

        [Fact]
        public void Tells_every_try_of_a_wait_with_the_time_left_or_no_limit()
        {
            var limited = new WaitTry(Target, 2, new[] { Result(PortStatus.Refused, "127.0.0.1", 0.25, 2) }, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
            Assert.Equal("localhost:5432: try 2 Refused via 127.0.0.1 in 0.25 ms; 2 s left.", ProbeNarration.Retrying(limited));
            var unlimited = new WaitTry(Target, 7, new[] { Result(PortStatus.TimedOut, "127.0.0.1", null, 7) }, TimeSpan.FromSeconds(9), ProbeOptions.NoLimit);
            Assert.Equal("localhost:5432: try 7 TimedOut via 127.0.0.1; no time limit.", ProbeNarration.Retrying(unlimited));
        }

        [Fact]
        public void Tells_the_try_that_ended_a_target()
        {
            var once = new ProbeFinished(Target, new[] { Result(PortStatus.Open, "::1", 0.5) }, true, false);
            Assert.Equal("localhost:5432: try 1 Open via ::1 in 0.5 ms.", ProbeNarration.Finished(once, new ProbeOptions()));

            var waitOptions = new ProbeOptions { Wait = true, Timeout = TimeSpan.FromSeconds(2) };
            var met = new ProbeFinished(Target, new[] { Result(PortStatus.Open, "::1", 0.5, 3) }, true, false);
            Assert.Equal("localhost:5432: try 3 Open via ::1 in 0.5 ms; the port is open, so the wait ends.", ProbeNarration.Finished(met, waitOptions));

            var expired = new ProbeFinished(Target, new[] { Result(PortStatus.Refused, "::1", 0.5, 9) }, false, true);
            Assert.Equal("localhost:5432: try 9 Refused via ::1 in 0.5 ms; that was the last try: the 2 s are up.", ProbeNarration.Finished(expired, waitOptions));
        }

        [Fact]
        public void Names_every_address_of_a_per_address_try()
        {
            var both = new ProbeFinished(Target, new[] { Result(PortStatus.Refused, "::1", 0.1), Result(PortStatus.Open, "127.0.0.1", 0.2) }, false, false);
            Assert.Equal("localhost:5432: try 1 ::1 Refused, 127.0.0.1 Open.", ProbeNarration.Finished(both, new ProbeOptions { PerAddress = true }));
        }
    }
}
