using System;
using System.IO;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>net.ipv4.ip_local_port_range less ip_local_reserved_ports, from the text the kernel writes, and hostile text.</summary>
public sealed class EphemeralPortRangeTests
{
    [Fact]
    public void The_default_range_without_reservations()
    {
        EphemeralPortRange range = EphemeralPortRange.Parse("32768\t60999\n", "\n");
        Assert.Equal(32768, range.First);
        Assert.Equal(60999, range.Last);
        Assert.Equal(28232, range.Size);
        Assert.True(range.Contains(32768));
        Assert.True(range.Contains(60999));
        Assert.False(range.Contains(32767));
        Assert.False(range.Contains(61000));
        Assert.Equal("32768-60999: 28232 ports", range.ToString());
    }

    [Fact]
    public void Reserved_ports_inside_the_range_are_taken_out_and_those_outside_change_nothing()
    {
        EphemeralPortRange range = EphemeralPortRange.Parse("40000 40009", "1000-1010,40002-40003,40007,50000-50010");
        Assert.Equal(7, range.Size);
        Assert.Equal(3, range.ReservedCount);
        Assert.False(range.Contains(40002));
        Assert.False(range.Contains(40003));
        Assert.False(range.Contains(40007));
        Assert.True(range.Contains(40004));
        Assert.False(range.Contains(1005));
        Assert.Equal("40000-40009 less 3 reserved: 7 ports", range.ToString());
    }

    [Fact]
    public void Reservations_that_overlap_the_edges_or_each_other_count_each_port_once()
    {
        EphemeralPortRange range = EphemeralPortRange.Parse("100 199", "50-100,150-160,155-170,199-300");
        Assert.Equal(100 - 1 - 21 - 1, range.Size);
    }

    [Theory]
    [InlineData("")]
    [InlineData("8080")]
    [InlineData("1000-1010,2000")]
    [InlineData(" 0-65535 ")]
    public void Reserved_lists_the_kernel_writes(string text)
    {
        EphemeralPortRange.ParseReserved(text);
    }

    [Fact]
    public void A_range_of_one_port_and_a_fully_reserved_range()
    {
        Assert.Equal(1, EphemeralPortRange.Parse("5000 5000", null).Size);
        Assert.Equal(0, EphemeralPortRange.Parse("5000 5009", "5000-5009").Size);
    }

    [Theory]
    [InlineData("")]
    [InlineData("32768")]
    [InlineData("32768 60999 1")]
    [InlineData("60999 32768")]      // the lower first
    [InlineData("1 65536")]
    [InlineData("-1 100")]
    [InlineData("a b")]
    [InlineData("0x10 0x20")]
    [InlineData("1.5 2")]
    public void Ranges_the_kernel_does_not_write_are_errors_that_quote_the_file(string text)
    {
        var e = Assert.Throws<SocketTableFormatException>(() => EphemeralPortRange.Parse(text, null));
        Assert.Contains("ip_local_port_range", e.Message);
    }

    [Theory]
    [InlineData("5-3")]
    [InlineData("1,,2")]
    [InlineData("70000")]
    [InlineData("1-")]
    [InlineData("-5")]
    [InlineData("1-2-3")]
    [InlineData("a")]
    [InlineData("1 2")]
    public void Reserved_lists_the_kernel_does_not_write_are_errors(string text)
    {
        var e = Assert.Throws<SocketTableFormatException>(() => EphemeralPortRange.Parse("1000 2000", text));
        Assert.Contains("ip_local_reserved_ports", e.Message);
    }

    [Fact]
    public void Reads_a_directory_where_the_reserved_file_may_be_missing()
    {
        string dir = Path.Combine(Path.GetTempPath(), "socktools-range-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "ip_local_port_range"), "40000\t40009\n");
            Assert.Equal(10, EphemeralPortRange.Read(dir).Size);
            File.WriteAllText(Path.Combine(dir, "ip_local_reserved_ports"), "40000\n");
            Assert.Equal(9, EphemeralPortRange.Read(dir).Size);
            File.Delete(Path.Combine(dir, "ip_local_port_range"));
            Assert.Throws<FileNotFoundException>(() => EphemeralPortRange.Read(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Reads_this_machines_range_when_it_is_linux()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.InRange(EphemeralPortRange.Read().Size, 1, 65536);
        }
    }
}
