using System.Net;
using SockTools.Probe;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class SocketEntryTargetTests
    {
        private static SocketEntry Entry(SocketProtocol protocol, byte state, string local, int localPort, string remote, int remotePort)
        {
            var row = new SocketRecord
            {
                Protocol = protocol,
                State = KernelStates.ToSocketState(protocol, state),
                LocalAddress = AddressValue.FromIPAddress(IPAddress.Parse(local)),
                LocalPort = (ushort)localPort,
                RemoteAddress = AddressValue.FromIPAddress(IPAddress.Parse(remote)),
                RemotePort = (ushort)remotePort,
                Inode = 1,
            };
            return SocketEntry.Of(row, local, remote, EntryOwner.None, null);
        }

        [Theory]
        [InlineData("127.0.0.1", "127.0.0.1")]
        [InlineData("0.0.0.0", "127.0.0.1")]
        [InlineData("::", "::1")]
        [InlineData("::1", "::1")]
        [InlineData("192.0.2.4", "192.0.2.4")]
        public void A_listener_is_tested_on_its_own_address_and_a_wildcard_on_loopback(string local, string tested)
        {
            string any = local.Contains(":") ? "::" : "0.0.0.0";
            ProbeTarget? target = SocketEntryTarget.From(Entry(SocketProtocol.Tcp, KernelStates.Listen, local, 8080, any, 0), out string? skipped);
            Assert.Null(skipped);
            Assert.Equal(tested, target!.ComputerName);
            Assert.Equal(IPAddress.Parse(tested), target.Literal);
            Assert.Equal(8080, target.Port);
        }

        [Fact]
        public void A_connection_is_tested_on_its_peer_and_a_mapped_peer_as_IPv4()
        {
            ProbeTarget? target = SocketEntryTarget.From(Entry(SocketProtocol.Tcp, KernelStates.Established, "::ffff:10.0.0.1", 40000, "::ffff:10.0.0.2", 443), out _);
            Assert.Equal("10.0.0.2:443", target!.Endpoint);
        }

        [Fact]
        public void UDP_sockets_are_skipped_with_a_reason()
        {
            Assert.Null(SocketEntryTarget.From(Entry(SocketProtocol.Udp, KernelStates.Close, "127.0.0.1", 53, "0.0.0.0", 0), out string? skipped));
            Assert.Contains("UDP", skipped);
        }
    }
}
