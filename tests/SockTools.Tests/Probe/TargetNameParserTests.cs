using System.Net;
using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class TargetNameParserTests
    {
        [Theory]
        [InlineData("db01", "db01", null, false)]
        [InlineData("  db01.example.org  ", "db01.example.org", null, false)]
        [InlineData("db01:5432", "db01", 5432, false)]
        [InlineData("127.0.0.1", "127.0.0.1", null, true)]
        [InlineData("127.0.0.1:22", "127.0.0.1", 22, true)]
        [InlineData("::1", "::1", null, true)]
        [InlineData("[::1]", "::1", null, true)]
        [InlineData("[::1]:5432", "::1", 5432, true)]
        [InlineData("fe80::1%2", "fe80::1%2", null, true)]
        [InlineData("[fe80::1%2]:80", "fe80::1%2", 80, true)]
        [InlineData("2001:db8::5", "2001:db8::5", null, true)]
        [InlineData("::ffff:127.0.0.1", "127.0.0.1", null, true)]
        [InlineData("[::ffff:10.0.0.1]:80", "10.0.0.1", 80, true)]
        [InlineData("db:65535", "db", 65535, false)]
        [InlineData("db:1", "db", 1, false)]
        [InlineData("10.1", "10.1", null, false)]
        public void Reads_the_forms_people_type(string text, string host, int? port, bool literal)
        {
            Assert.True(TargetNameParser.TryParse(text, out TargetName? target, out string? problem), problem);
            Assert.Equal(host, target!.Host);
            Assert.Equal(port, target.Port);
            Assert.Equal(literal, target.Literal != null);
        }

        [Fact]
        public void An_IPv4_mapped_address_is_tested_as_IPv4()
        {
            Assert.True(TargetNameParser.TryParse("::ffff:192.0.2.7", out TargetName? target, out _));
            Assert.Equal(IPAddress.Parse("192.0.2.7"), target!.Literal);
        }

        [Theory]
        [InlineData("", "''", "is empty")]
        [InlineData("   ", "'   '", "is empty")]
        [InlineData(null, "''", "is empty")]
        [InlineData(":80", "':80'", "no host")]
        [InlineData("[::1", "'[::1'", "closing ']'")]
        [InlineData("[db01]:80", "'db01'", "IPv6 address")]
        [InlineData("[127.0.0.1]:80", "'127.0.0.1'", "IPv6 address")]
        [InlineData("[::1]x", "'x'", "only ':port'")]
        [InlineData("::1:80:zz", "'::1:80:zz'", "brackets: [::1]:5432")]
        [InlineData("http://db:80", "'http://db:80'", "is a URL")]
        [InlineData("@{Host=db; Port=5}", "'@{Host=db; Port=5}'", "name the column ComputerName")]
        [InlineData("db 01", "'db 01'", "contains ' '")]
        [InlineData("db/32", "'db/32'", "contains '/'")]
        public void Refuses_what_cannot_be_a_target_naming_the_value_and_the_valid_forms(string? text, string named, string why)
        {
            Assert.False(TargetNameParser.TryParse(text, out TargetName? target, out string? problem));
            Assert.Null(target);
            Assert.Contains(named, problem);
            Assert.Contains(why, problem);
            Assert.Contains("[::1]:5432", problem);
        }

        [Theory]
        [InlineData("db:0", "'db:0': 0 is not")]
        [InlineData("db:70000", "'db:70000': 70000 is not")]
        [InlineData("[::1]:0", "'[::1]:0': 0 is not")]
        [InlineData("db:", "'db:' has no valid port after the ':'. '' is not")]
        [InlineData("db:http", "'http' is not")]
        [InlineData("db:-5", "'-5' is not")]
        [InlineData("db:123456", "'123456' is not")]
        public void Refuses_a_port_in_the_name_outside_the_range_naming_it(string text, string named)
        {
            Assert.False(TargetNameParser.TryParse(text, out _, out string? problem));
            Assert.Contains(named, problem);
            Assert.EndsWith("a TCP port is 1 to 65535.", problem);
        }

        [Fact]
        public void The_port_message_names_the_value_and_the_range()
        {
            Assert.Equal("70000 is not a valid port: a TCP port is 1 to 65535.", TargetNameParser.PortOutOfRange("70000"));
        }
    }
}
