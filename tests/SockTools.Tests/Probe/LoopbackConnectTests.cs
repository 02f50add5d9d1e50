using System;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    /// <summary>The connect engine against real sockets, on loopback only.</summary>
    public sealed class LoopbackConnectTests : IDisposable
    {
        private readonly Socket _listener4 = Listen(IPAddress.Loopback, 16);
        private readonly Socket _listener6 = Listen(IPAddress.IPv6Loopback, 16);

        // Bound but not listening: connects are refused, and nobody else can take the port meanwhile.
        private readonly Socket _closed4 = Bound(IPAddress.Loopback);
        private readonly Socket _closed6 = Bound(IPAddress.IPv6Loopback);

        public void Dispose()
        {
            _listener4.Dispose();
            _listener6.Dispose();
            _closed4.Dispose();
            _closed6.Dispose();
        }

        private static Socket Bound(IPAddress address)
        {
            var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(address, 0));
            return s;
        }

        private static Socket Listen(IPAddress address, int backlog)
        {
            Socket s = Bound(address);
            s.Listen(backlog);
            return s;
        }

        private static int PortOf(Socket s) => ((IPEndPoint)s.LocalEndPoint!).Port;

        private static Task<ConnectOutcome> ConnectAsync(IPAddress address, int port, CancellationToken abort = default)
            => ConnectAttempt.RunAsync(new IPEndPoint(address, port), abort);

        [Fact]
        public async Task Connects_to_a_listener_and_reports_the_local_port_the_OS_picked()
        {
            ConnectOutcome outcome = await ConnectAsync(IPAddress.Loopback, PortOf(_listener4));
            Assert.True(outcome.Succeeded);
            Assert.NotNull(outcome.Latency);
            Assert.Equal(IPAddress.Loopback, outcome.Local!.Address);
            Assert.NotEqual(0, outcome.Local.Port);
        }

        [Fact]
        public async Task A_port_nobody_listens_on_is_refused_with_a_latency()
        {
            ConnectOutcome outcome = await ConnectAsync(IPAddress.IPv6Loopback, PortOf(_closed6));
            Assert.Equal(PortStatus.Refused, OutcomeStatus.Of(outcome));
            Assert.NotNull(outcome.Latency);
        }

        [Fact]
        public async Task An_attempt_already_aborted_does_not_connect()
        {
            using var aborted = new CancellationTokenSource();
            aborted.Cancel();
            Assert.True((await ConnectAsync(IPAddress.Loopback, PortOf(_listener4), aborted.Token)).Abandoned);
        }

        [Fact]
        public async Task A_silent_port_times_out_at_the_deadline()
        {
            // A full accept queue makes the kernel drop further SYNs: silence, as behind a firewall.
            using Socket full = Listen(IPAddress.Loopback, 0);
            using var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            filler.Connect(full.LocalEndPoint!);
            using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            ConnectOutcome outcome = await ConnectAsync(IPAddress.Loopback, PortOf(full), deadline.Token);
            Assert.Equal(PortStatus.TimedOut, OutcomeStatus.Of(outcome));
            Assert.Null(outcome.Latency);
        }

        [Fact]
        public async Task The_race_moves_on_at_once_when_the_first_address_refuses()
        {
            // Same port number on both families: the server listens on IPv4 only.
            int port = PortOf(_listener4);
            var outcomes = await AddressRace.RunAsync(new[] { IPAddress.IPv6Loopback, IPAddress.Loopback }, port, CancellationToken.None);
            ConnectOutcome winner = RaceVerdict.Pick(outcomes);
            Assert.True(winner.Succeeded);
            Assert.Equal(IPAddress.Loopback, winner.Address);
        }

        [Fact]
        public async Task The_race_starts_the_next_address_when_the_first_stays_silent()
        {
            using Socket full = Listen(IPAddress.Loopback, 0);
            using var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            filler.Connect(full.LocalEndPoint!);

            // IPv4 is silent on this port; IPv6 needs a listener on the very same port number.
            using var v6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            v6.Bind(new IPEndPoint(IPAddress.IPv6Loopback, PortOf(full)));
            v6.Listen(4);

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var outcomes = await AddressRace.RunAsync(new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }, PortOf(full), deadline.Token);
            ConnectOutcome winner = RaceVerdict.Pick(outcomes);
            Assert.True(winner.Succeeded);
            Assert.Equal(IPAddress.IPv6Loopback, winner.Address);
            Assert.False(deadline.IsCancellationRequested);

            // The silent IPv4 attempt was stopped when IPv6 won, and is not reported as a failure.
            Assert.Single(outcomes);
        }

        [Fact]
        public async Task Per_address_gives_one_result_each()
        {
            var target = new ProbeTarget("::1", IPAddress.IPv6Loopback, PortOf(_listener6));
            var results = await TargetTry.TryOnceAsync(target, perAddress: true, TimeSpan.FromSeconds(5), CancellationToken.None);
            PortTestResult result = Assert.Single(results);
            Assert.Equal(PortStatus.Open, result.Status);
            Assert.Equal("::1", result.LocalAddress);
            Assert.Equal(1, result.Attempts);
        }

        [Fact]
        public async Task A_name_that_does_not_resolve_is_a_result_not_an_exception()
        {
            // A name the resolver refuses before any query (longer than DNS allows): no lookup leaves this machine.
            // Names that fail in the resolver itself are tested in a network namespace of their own (Pester).
            string name = string.Join(".", new string('a', 60), new string('b', 60), new string('c', 60), new string('d', 60), new string('e', 60), "example");
            var target = new ProbeTarget(name, null, 80);
            PortTestResult result = Assert.Single(await TargetTry.TryOnceAsync(target, false, TimeSpan.FromSeconds(10), CancellationToken.None));
            Assert.Equal(PortStatus.NameResolutionFailed, result.Status);
            Assert.Null(result.RemoteAddress);
            Assert.Contains($"'{name}' could not be resolved", result.Message);
        }
    }
}
