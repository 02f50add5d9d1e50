using System.Linq;
using System.Net;
using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class AddressOrderTests
    {
        private static string Order(params string[] addresses)
            => string.Join(" ", AddressOrder.Interleave(addresses.Select(IPAddress.Parse)));

        [Fact]
        public void Alternates_families_starting_with_the_resolvers_first_choice()
        {
            Assert.Equal("2001:db8::1 192.0.2.1 2001:db8::2 192.0.2.2 2001:db8::3", Order("2001:db8::1", "2001:db8::2", "2001:db8::3", "192.0.2.1", "192.0.2.2"));
            Assert.Equal("192.0.2.1 2001:db8::1 192.0.2.2", Order("192.0.2.1", "192.0.2.2", "2001:db8::1"));
        }

        [Fact]
        public void Keeps_a_single_family_in_resolver_order()
        {
            Assert.Equal("192.0.2.3 192.0.2.1", Order("192.0.2.3", "192.0.2.1"));
        }

        [Fact]
        public void Drops_duplicates_and_tests_mapped_addresses_as_IPv4()
        {
            Assert.Equal("127.0.0.1 ::1", Order("::ffff:127.0.0.1", "127.0.0.1", "::1", "::1"));
        }

        [Fact]
        public void Nothing_in_nothing_out()
        {
            Assert.Empty(AddressOrder.Interleave(new IPAddress[0]));
        }
    }
}
