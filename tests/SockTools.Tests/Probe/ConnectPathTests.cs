using System.Net;
using SockTools.Probe;
using SockTools.Probe.Linux;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class ConnectPathTests
    {
        private static readonly ProbeTarget Address = new ProbeTarget("127.0.0.1", IPAddress.Loopback, 80);
        private static readonly ProbeTarget Name = new ProbeTarget("db01", null, 5432);

        [Fact]
        public void An_address_tried_once_takes_the_poll_fast_path_on_Linux()
        {
            var once = new ProbeOptions();
            Assert.Equal(PollConnector.IsSupported, ConnectPath.IsFast(Address, once));
            if (PollConnector.IsSupported)
            {
                Assert.Equal("127.0.0.1:80: connecting through the Linux poll() fast path (an IP address, tried once).", ConnectPath.Describe(Address, once));
            }
        }

        [Fact]
        public void Names_and_waits_take_the_general_path_and_say_why()
        {
            var wait = new ProbeOptions { Wait = true };
            Assert.False(ConnectPath.IsFast(Name, new ProbeOptions()));
            Assert.False(ConnectPath.IsFast(Address, wait));
            Assert.StartsWith("db01:5432: connecting through the general path ('db01' is a name to resolve; -Wait tries again", ConnectPath.Describe(Name, wait));
            Assert.StartsWith("127.0.0.1:80: connecting through the general path (-Wait tries again", ConnectPath.Describe(Address, wait));
        }
    }
}
