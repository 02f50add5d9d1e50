using System;
using System.Net;
using System.Net.Sockets;
using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class RaceVerdictTests
    {
        private static readonly IPAddress V6 = IPAddress.Parse("2001:db8::1");
        private static readonly IPAddress V4 = IPAddress.Parse("192.0.2.1");
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

        [Fact]
        public void The_winner_is_reported_whatever_failed_before_it()
        {
            ConnectOutcome refused = ConnectOutcome.Failed(V6, SocketError.ConnectionRefused, 0.1);
            ConnectOutcome open = ConnectOutcome.Connected(V4, 0.2, null);
            Assert.Same(open, RaceVerdict.Pick(new[] { refused, open }));
            Assert.Null(RaceVerdict.Message(open, new[] { refused, open }, 2, 80, Timeout));
        }

        [Fact]
        public void A_refusal_outranks_a_timeout_and_the_message_names_the_other_address()
        {
            ConnectOutcome timedOut = ConnectOutcome.Stopped(V6);
            ConnectOutcome refused = ConnectOutcome.Failed(V4, SocketError.ConnectionRefused, 0.3);
            ConnectOutcome[] outcomes = { timedOut, refused };
            Assert.Same(refused, RaceVerdict.Pick(outcomes));
            Assert.EndsWith("Also tried: 2001:db8::1 (TimedOut).", RaceVerdict.Message(refused, outcomes, 2, 80, Timeout));
        }

        [Fact]
        public void Ties_go_to_the_address_tried_first()
        {
            ConnectOutcome first = ConnectOutcome.Stopped(V6);
            ConnectOutcome second = ConnectOutcome.Stopped(V4);
            Assert.Same(first, RaceVerdict.Pick(new[] { first, second }));
        }

        [Fact]
        public void Unreachable_outranks_other_errors_and_timeouts()
        {
            ConnectOutcome error = ConnectOutcome.Failed(V6, SocketError.AccessDenied, null);
            ConnectOutcome unreachable = ConnectOutcome.Failed(V4, SocketError.NetworkUnreachable, 0.1);
            Assert.Same(unreachable, RaceVerdict.Pick(new[] { ConnectOutcome.Stopped(V4), error, unreachable }));
        }

        [Fact]
        public void No_free_local_port_ranks_after_unreachable_and_before_other_errors_and_timeouts()
        {
            ConnectOutcome error = ConnectOutcome.Failed(V6, SocketError.AccessDenied, null);
            ConnectOutcome noPort = ConnectOutcome.Failed(V4, SocketError.AddressNotAvailable, 0.1);
            Assert.Same(noPort, RaceVerdict.Pick(new[] { ConnectOutcome.Stopped(V6), error, noPort }));
            ConnectOutcome unreachable = ConnectOutcome.Failed(V6, SocketError.NetworkUnreachable, 0.1);
            Assert.Same(unreachable, RaceVerdict.Pick(new[] { noPort, unreachable }));
        }

        [Fact]
        public void Addresses_never_started_are_counted_in_the_message()
        {
            ConnectOutcome timedOut = ConnectOutcome.Stopped(V6);
            Assert.EndsWith("2 more addresses were not tried before the timeout.", RaceVerdict.Message(timedOut, new[] { timedOut }, 3, 80, Timeout));
        }
    }
}
