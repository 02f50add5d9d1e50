using System.Collections.Generic;
using System.Linq;
using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class TargetExpansionTests
    {
        private static TargetName Parse(string text)
        {
            Assert.True(TargetNameParser.TryParse(text, out TargetName? name, out string? problem), problem);
            return name!;
        }

        [Fact]
        public void Every_name_is_tested_on_every_port_in_input_order()
        {
            var missing = new List<TargetName>();
            List<ProbeTarget> targets = TargetExpansion.Expand(new[] { Parse("a"), Parse("::1") }, new[] { 80, 443 }, missing);
            Assert.Equal(new[] { "a:80", "a:443", "[::1]:80", "[::1]:443" }, targets.Select(t => t.Endpoint));
            Assert.Empty(missing);
        }

        [Fact]
        public void A_port_in_the_name_replaces_Port_for_that_name_only()
        {
            var missing = new List<TargetName>();
            List<ProbeTarget> targets = TargetExpansion.Expand(new[] { Parse("db:5432"), Parse("web") }, new[] { 80 }, missing);
            Assert.Equal(new[] { "db:5432", "web:80" }, targets.Select(t => t.Endpoint));
        }

        [Fact]
        public void A_name_without_any_port_is_reported_missing()
        {
            var missing = new List<TargetName>();
            List<ProbeTarget> targets = TargetExpansion.Expand(new[] { Parse("db"), Parse("[::1]:22") }, null, missing);
            Assert.Equal(new[] { "[::1]:22" }, targets.Select(t => t.Endpoint));
            Assert.Equal("db", Assert.Single(missing).Host);
        }

        [Fact]
        public void Literals_keep_their_address_so_no_lookup_is_needed()
        {
            var missing = new List<TargetName>();
            ProbeTarget target = Assert.Single(TargetExpansion.Expand(new[] { Parse("[::1]:9") }, null, missing));
            Assert.Equal(System.Net.IPAddress.IPv6Loopback, target.Literal);
        }
    }
}
