using System;
using System.IO;
using System.Linq;
using System.Text;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>CommandLineText on cmdline bytes, and ProcOwnerIdentity on this very process.</summary>
public sealed class OwnerIdentityTests
{
    private static string? Decode(string text, bool cut = false)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return CommandLineText.Decode(bytes, bytes.Length, cut);
    }

    [Fact]
    public void JoinsArgumentsBySpaces()
    {
        Assert.Equal("/usr/bin/python3 -m http.server 8000", Decode("/usr/bin/python3\0-m\0http.server\08000\0"));
        Assert.Equal("a b c", Decode("a b\0c\0")); // an argument with a space reads as two: as ps shows it
    }

    [Fact]
    public void KeepsACommandLineTheProcessRewrote()
    {
        Assert.Equal("nginx: master process /usr/sbin/nginx", Decode("nginx: master process /usr/sbin/nginx\0\0\0\0"));
    }

    [Fact]
    public void IsNullForAKernelThreadAndMarksACutOne()
    {
        Assert.Null(Decode(string.Empty));
        Assert.Null(Decode("\0\0"));
        Assert.Equal("long arg…", Decode("long\0arg", cut: true)); // cut in the middle of an argument
    }

    [Fact]
    public void ReadsThisProcessOnceAndAnEndedOneAsNull()
    {
        if (!OperatingSystem.IsLinux()) return;
        var identity = new ProcOwnerIdentity();
        string expected = string.Join(' ', File.ReadAllText($"/proc/{Environment.ProcessId}/cmdline").TrimEnd('\0').Split('\0'));

        Assert.Equal(expected, identity.CommandLineOf(Environment.ProcessId));
        Assert.Equal(
            CgroupMembership.ServiceName(File.ReadAllText($"/proc/{Environment.ProcessId}/cgroup")),
            identity.ServiceNameOf(Environment.ProcessId));
        Assert.Null(identity.CommandLineOf(int.MaxValue)); // no such process
        Assert.Null(identity.ContainerIdOf(int.MaxValue));
    }
}
