using System;
using System.Collections.Generic;
using System.IO;
using SockTools.Interop;
using Xunit;

namespace SockTools.Tests;

/// <summary>The typed wrappers over libc: errno by name, directories that tell the end from a failure, netlink sockets.</summary>
public sealed unsafe class InteropTests
{
    [Theory]
    [InlineData(4, "EINTR (interrupted system call)")]
    [InlineData(24, "EMFILE (too many open files)")]
    [InlineData(105, "ENOBUFS (no buffer space available)")]
    [InlineData(200, "errno 200")]
    public void NamesErrnoAsTheManPagesDo(int errno, string expected)
        => Assert.Equal(expected, LastError.Describe((Errno)errno));

    [Fact]
    public void ANativeCallExceptionNamesTheCallTheTargetAndTheErrno()
    {
        var e = new NativeCallException("open", Errno.EACCES, "/proc/1/fd");
        Assert.Equal("open(/proc/1/fd) failed: EACCES (permission denied)", e.Message);
        Assert.Equal(Errno.EACCES, e.Errno);
    }

    [Fact]
    public void ADirectoryThatIsNotThereSaysENOENT()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.False(FdDirectory.TryOpen("/proc/no-such-entry", out FdDirectory? directory, out Errno errno, out string call));
        Assert.Null(directory);
        Assert.Equal(Errno.ENOENT, errno);
        Assert.Equal("open", call);
        var e = Assert.Throws<NativeCallException>(() => FdDirectory.Open("/proc/no-such-entry"));
        Assert.Contains("ENOENT", e.Message);
    }

    [Fact]
    public void ListsADirectoryToItsEndWithoutAnError()
    {
        if (!OperatingSystem.IsLinux()) return;
        string folder = Directory.CreateTempSubdirectory("socktools-interop").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a"), string.Empty);
            File.WriteAllText(Path.Combine(folder, "b"), string.Empty);
            var names = new List<string>();
            using (FdDirectory directory = FdDirectory.Open(folder))
            {
                Dirent* entry;
                Errno error;
                while ((entry = directory.Next(out error)) != null)
                {
                    names.Add(new string((sbyte*)entry->Name));
                }

                Assert.Equal(Errno.None, error);
                Assert.True(directory.Fd >= 0);
            }

            names.Sort(StringComparer.Ordinal);
            Assert.Equal(new[] { ".", "..", "a", "b" }, names);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ANetlinkSocketWithNothingQueuedReceivesNothingWithoutWaiting()
    {
        if (!OperatingSystem.IsLinux()) return;
        using NetlinkSocket socket = NetlinkSocket.Open(Libc.NETLINK_SOCK_DIAG, "test");
        Assert.Equal(0, socket.Receive(new byte[1024], wait: false, "test"));
    }

    [Fact]
    public void ASafeFdClosesItsDescriptorOnce()
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = Libc.open("/proc/self/comm", Libc.O_RDONLY | Libc.O_CLOEXEC);
        Assert.True(fd >= 0);
        var handle = new SafeFd(fd);
        Assert.True(File.Exists($"/proc/self/fd/{fd}"));
        handle.Dispose();
        handle.Dispose();
        Assert.False(File.Exists($"/proc/self/fd/{fd}") && new FileInfo($"/proc/self/fd/{fd}").LinkTarget?.EndsWith("comm", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void ReadsASmallFileAndSaysWhyNot()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(SmallFile.TryRead("/proc/self/comm", out string? text, out Errno none));
        Assert.Equal(Errno.None, none);
        Assert.EndsWith("\n", text);
        Assert.False(SmallFile.TryRead("/proc/self/no-such-file", out _, out Errno missing));
        Assert.Equal(Errno.ENOENT, missing);
    }
}
