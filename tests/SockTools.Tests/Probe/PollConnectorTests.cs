using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using SockTools.Probe;
using SockTools.Probe.Linux;
using Xunit;

namespace SockTools.Tests.Probe;

/// <summary>The poll-based fast path for address targets, against loopback listeners this test opens.</summary>
public sealed class PollConnectorTests
{
    private static ConcurrentDictionary<int, ConnectOutcome> Run(IPAddress address, int[] ports, int throttle = 8, double timeoutSeconds = 2)
    {
        var outcomes = new ConcurrentDictionary<int, ConnectOutcome>();
        using var slots = new SemaphoreSlim(throttle, throttle);
        using var cancel = new CancellationTokenSource();
        using var finished = new CountdownEvent(ports.Length);
        using (var connector = new PollConnector(TimeSpan.FromSeconds(timeoutSeconds), slots, cancel.Token,
            (target, outcome) => { outcomes[target.Port] = outcome; finished.Signal(); },
            _ => finished.Signal()))
        {
            foreach (int port in ports)
            {
                connector.Enqueue(new ProbeTarget(address.ToString(), address, port));
            }

            Assert.True(finished.Wait(TimeSpan.FromSeconds(10)));
            Assert.Equal(throttle, slots.CurrentCount); // every slot given back
            cancel.Cancel();
        }

        return outcomes;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void OpenPortsConnectAndClosedOnesAreRefused(string text)
    {
        if (!PollConnector.IsSupported) return;
        IPAddress address = IPAddress.Parse(text);
        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(16);
        int open = ((IPEndPoint)listener.LocalEndPoint!).Port;
        int closed;
        using (var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(address, 0));
            closed = ((IPEndPoint)probe.LocalEndPoint!).Port; // bound, never listening: refuses
            var outcomes = Run(address, new[] { open, closed });

            ConnectOutcome yes = outcomes[open];
            Assert.True(yes.Succeeded);
            Assert.NotNull(yes.Latency);
            Assert.Equal(address, yes.Local!.Address);
            Assert.NotEqual(0, yes.Local.Port);

            ConnectOutcome no = outcomes[closed];
            Assert.Equal(SocketError.ConnectionRefused, no.Error);
            Assert.Equal(PortStatus.Refused, OutcomeStatus.Of(no));
        }
    }

    [Fact]
    public void ManyMoreTargetsThanSlotsAllFinish()
    {
        if (!PollConnector.IsSupported) return;
        int[] ports = Enumerable.Range(40101, 300).ToArray();
        var outcomes = Run(IPAddress.Loopback, ports, throttle: 4);
        Assert.Equal(300, outcomes.Count);
        Assert.All(outcomes.Values, o => Assert.NotEqual(PortStatus.Error, OutcomeStatus.Of(o)));
    }

    [Theory]
    [InlineData("127.0.0.1", 8080)]
    [InlineData("::1", 443)]
    [InlineData("fe80::1%2", 22)]
    public unsafe void SockAddrRoundTrips(string text, int port)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(text), port);
        byte* buffer = stackalloc byte[SockAddr.MaxLength];
        int length = SockAddr.Write(endpoint, buffer);
        Assert.Equal(endpoint.AddressFamily == AddressFamily.InterNetwork ? 16 : 28, length);
        Assert.Equal((byte)(port >> 8), buffer[2]); // network order
        Assert.Equal(endpoint, SockAddr.Read(buffer, length));
    }
}
