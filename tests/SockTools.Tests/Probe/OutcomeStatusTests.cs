using System;
using System.Net;
using System.Net.Sockets;
using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class OutcomeStatusTests
    {
        private static readonly IPAddress Address = IPAddress.Parse("192.0.2.9");
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2.5);

        [Theory]
        [InlineData(SocketError.ConnectionRefused, PortStatus.Refused)]
        [InlineData(SocketError.ConnectionReset, PortStatus.Refused)] // a listener closing while the connection waited in its queue
        [InlineData(SocketError.TimedOut, PortStatus.TimedOut)]
        [InlineData(SocketError.NetworkUnreachable, PortStatus.Unreachable)]
        [InlineData(SocketError.HostUnreachable, PortStatus.Unreachable)]
        [InlineData(SocketError.NetworkDown, PortStatus.Unreachable)]
        [InlineData(SocketError.HostDown, PortStatus.Unreachable)]
        [InlineData(SocketError.AddressFamilyNotSupported, PortStatus.Error)]
        [InlineData(SocketError.AccessDenied, PortStatus.Error)]
        [InlineData(SocketError.AddressNotAvailable, PortStatus.NoFreeLocalPort)] // EADDRNOTAVAIL: no local port left for this destination
        public void Maps_socket_errors_to_statuses(SocketError error, PortStatus expected)
        {
            Assert.Equal(expected, OutcomeStatus.Of(ConnectOutcome.Failed(Address, error, 1.0)));
        }

        [Fact]
        public void A_connection_is_Open_without_a_message()
        {
            ConnectOutcome open = ConnectOutcome.Connected(Address, 0.5, new IPEndPoint(IPAddress.Loopback, 40000));
            Assert.Equal(PortStatus.Open, OutcomeStatus.Of(open));
            Assert.Null(OutcomeStatus.Message(open, 80, Timeout));
        }

        [Fact]
        public void An_attempt_stopped_by_the_deadline_timed_out_and_says_how_long_it_waited()
        {
            ConnectOutcome stopped = ConnectOutcome.Stopped(Address);
            Assert.Equal(PortStatus.TimedOut, OutcomeStatus.Of(stopped));
            Assert.Equal("No answer from 192.0.2.9:80 within 2.5 s: a firewall may drop the packets, or the host is down.", OutcomeStatus.Message(stopped, 80, Timeout));
        }

        [Fact]
        public void A_refusal_says_the_host_is_up()
        {
            string? message = OutcomeStatus.Message(ConnectOutcome.Failed(IPAddress.IPv6Loopback, SocketError.ConnectionRefused, 0.1), 5432, Timeout);
            Assert.Equal("Connection refused by [::1]:5432: the host is up, but nothing listens on the port (or a firewall rejects).", message);
        }

        [Fact]
        public void A_socket_connected_to_itself_is_not_a_listener()
        {
            ConnectOutcome self = ConnectOutcome.ConnectedToItself(IPAddress.Loopback, 0.1);
            Assert.False(self.Succeeded);
            Assert.Equal(PortStatus.Refused, OutcomeStatus.Of(self));
            Assert.Contains("connected to itself", OutcomeStatus.Message(self, 45000, Timeout));
        }

        [Fact]
        public void No_free_local_port_points_at_Get_SockPortUsage()
        {
            string? message = OutcomeStatus.Message(ConnectOutcome.Failed(IPAddress.Loopback, SocketError.AddressNotAvailable, 0.2), 7000, Timeout);
            Assert.StartsWith("No free local port to connect to 127.0.0.1:7000 from (EADDRNOTAVAIL)", message);
            Assert.Contains("Get-SockPortUsage -RemotePort 7000", message);
        }

        [Fact]
        public void The_status_numbers_stay_where_they_were_and_NoFreeLocalPort_comes_last()
        {
            // Long-based, written by name in JSON; the numbers still reach CSV users who cast, and scripts that compare.
            Assert.Equal(
                new[] { "Open", "Refused", "TimedOut", "NameResolutionFailed", "Unreachable", "Error", "NoFreeLocalPort" },
                Enum.GetNames(typeof(PortStatus)));
            Assert.Equal(6L, (long)PortStatus.NoFreeLocalPort);
            Assert.Equal(typeof(long), Enum.GetUnderlyingType(typeof(PortStatus)));
        }

        [Fact]
        public void Other_errors_name_the_socket_error()
        {
            string? message = OutcomeStatus.Message(ConnectOutcome.Failed(Address, SocketError.AccessDenied, null), 25, Timeout);
            Assert.StartsWith("Connecting to 192.0.2.9:25 failed with AccessDenied: ", message);
        }
    }
}
