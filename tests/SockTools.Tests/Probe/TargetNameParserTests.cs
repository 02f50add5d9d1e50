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
        [InlineData("fe80::1%1", "fe80::1%1", null, true)]
        [InlineData("[fe80::1%1]:80", "fe80::1%1", 80, true)]
        [InlineData("fe80::1%lo", "fe80::1%lo", null, true)]
        [InlineData("2001:db8::5", "2001:db8::5", null, true)]
        [InlineData("::ffff:127.0.0.1", "::ffff:127.0.0.1", null, true)]
        [InlineData("[::ffff:10.0.0.1]:80", "::ffff:10.0.0.1", 80, true)]
        [InlineData("0:0::1", "0:0::1", null, true)]
        [InlineData("127.000.000.001", "127.000.000.001", null, true)]
        [InlineData("127.1", "127.1", null, false)]
        [InlineData("db01.example.org.", "db01.example.org.", null, false)]
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
        public void An_IPv4_mapped_address_is_tested_as_IPv4_and_named_as_given()
        {
            Assert.True(TargetNameParser.TryParse("::ffff:192.0.2.7", out TargetName? target, out _));
            Assert.Equal(IPAddress.Parse("192.0.2.7"), target!.Literal);
            Assert.Equal("::ffff:192.0.2.7", target.Host);
        }

        [Theory]
        [InlineData("::1:443", "[::1]:443")]
        [InlineData("2001:db8::1:8080", "[2001:db8::1]:8080")]
        [InlineData("fe80::1:8443", "[fe80::1]:8443")]
        [InlineData("::1", null)]
        [InlineData("2001:db8::5", null)]          // 2001:db8: is no address of its own
        [InlineData("::1:0", null)]                // port 0 is no destination
        [InlineData("::1:0443", null)]             // a port is not written with a leading 0
        [InlineData("::1:abcd", null)]             // hex, so a group
        [InlineData("1:2:3:4:5:6:7:8", null)]      // all eight groups: one full address
        public void A_bare_IPv6_address_whose_last_group_reads_as_a_port_gets_the_bracketed_form_to_suggest(string text, string? hint)
        {
            Assert.True(TargetNameParser.TryParse(text, out TargetName? target, out string? problem), problem);
            Assert.Equal(hint, target!.BracketHint);
            Assert.Null(target.Port); // still one address: with -Port it is tested as such
            Assert.Equal(text, target.Host);
        }

        [Theory]
        [InlineData("127.0.0.1\0garbage", "U+0000 at position 10", "127.0.0.1\\u0000garbage")]
        [InlineData("db\u0007", "U+0007 at position 3", "db\\u0007")]
        [InlineData("db\n01", "U+000A at position 3", "db\\u000A01")]
        [InlineData("[::1\0]:80", "U+0000 at position 5", "[::1\\u0000]:80")]
        public void Refuses_control_characters_anywhere_showing_them_escaped(string text, string where, string shown)
        {
            Assert.False(TargetNameParser.TryParse(text, out _, out string? problem));
            Assert.Contains("control character " + where, problem);
            Assert.Contains(shown, problem);
            Assert.DoesNotContain(problem!, c => char.IsControl(c));
        }

        [Theory]
        [InlineData("300.1.1.1", "'300.1.1.1' is not a valid IPv4 address: 300 is above 255")]
        [InlineData("1.2.3.256:80", "'1.2.3.256' is not a valid IPv4 address: 256 is above 255")]
        [InlineData("1.2.3.99999999999999", "99999999999999 is above 255")]
        [InlineData("1.2.3.09", "leading 0 is read as octal, and 09 is not an octal number")]
        [InlineData("300.1.1", "'300.1.1' is made of numbers only")]
        [InlineData("1.2.3.4.5", "'1.2.3.4.5' is made of numbers only")]
        public void Refuses_all_digit_names_that_are_no_IPv4_address_instead_of_sending_them_to_DNS(string text, string why)
        {
            Assert.False(TargetNameParser.TryParse(text, out _, out string? problem));
            Assert.Contains(why, problem);
            Assert.Contains("four numbers from 0 to 255", problem);
        }

        [Fact]
        public void Refuses_an_IPv4_address_with_a_trailing_dot_saying_how_to_write_it()
        {
            Assert.False(TargetNameParser.TryParse("1.2.3.4.", out _, out string? problem));
            Assert.Contains("'1.2.3.4.' is an IPv4 address with a dot after it; write it as 1.2.3.4, without the dot.", problem);
        }

        [Fact]
        public void Refuses_a_part_longer_than_63_characters()
        {
            Assert.True(TargetNameParser.TryParse("db01." + new string('x', 63) + ".org", out _, out string? problem), problem);
            Assert.False(TargetNameParser.TryParse("db01." + new string('x', 64) + ".org", out _, out problem));
            Assert.Contains("a part of 64 characters between dots", problem);
            Assert.Contains("each part of a host name has at most 63", problem);
        }

        [Fact]
        public void Takes_host_names_up_to_the_DNS_limits()
        {
            string label = new string('a', 63);
            string longest = string.Join(".", label, label, label, new string('b', 61)); // 253
            Assert.Equal(253, longest.Length);
            Assert.True(TargetNameParser.TryParse(longest, out _, out string? problem), problem);
            Assert.True(TargetNameParser.TryParse(longest + ".", out _, out problem), problem); // the root's dot is not counted
        }

        [Theory]
        [InlineData(261, "is 261 characters long; a host name has at most 253")]
        [InlineData(254, "is 254 characters long; a host name has at most 253")]
        public void Refuses_a_name_longer_than_DNS_allows_without_printing_all_of_it(int length, string why)
        {
            string name = string.Join(".", System.Linq.Enumerable.Repeat(new string('a', 50), 10)).Substring(0, length);
            Assert.False(TargetNameParser.TryParse(name, out _, out string? problem));
            Assert.Contains(why, problem);
            Assert.Contains($"... ({length} characters)", problem);
            Assert.DoesNotContain(name, problem);
        }

        [Theory]
        [InlineData("a..b", "an empty part between dots")]
        [InlineData(".db01", "an empty part between dots")]
        [InlineData("db%eth0", "contains '%', which only follows an IPv6 address")]
        public void Refuses_malformed_host_names(string text, string why)
        {
            Assert.False(TargetNameParser.TryParse(text, out _, out string? problem));
            Assert.Contains(why, problem);
        }

        [Theory]
        [InlineData("fe80::1%nosuchif", "no network interface named 'nosuchif'")]
        [InlineData("[fe80::1%nosuchif]:80", "no network interface named 'nosuchif'")]
        [InlineData("fe80::1%99999", "no network interface with index 99999")]
        [InlineData("fe80::1%0", "no network interface with index 0")]
        public void Refuses_a_zone_that_names_no_interface_here_listing_the_ones_there_are(string text, string why)
        {
            Assert.False(TargetNameParser.TryParse(text, out _, out string? problem));
            Assert.Contains(why, problem);
            Assert.Contains("the interfaces here are: lo (1)", problem);
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
