using System.Management.Automation;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>The one place that picks the OS: the readers it picks here, and the one clear error where none fits.</summary>
public sealed class SocketPlatformTests
{
    [Fact]
    public void ThisLinuxGetsTheLinuxReadersAndItsOwnAdvice()
    {
        if (!System.OperatingSystem.IsLinux() || System.IntPtr.Size != 8) return;

        SocketPlatform platform = SocketPlatform.Current;

        Assert.IsType<LinuxTableReader>(platform.Reader);
        Assert.IsType<ProcFdOwnerLookup>(platform.Owners);
        Assert.Equal(SocketTableException.LinuxReadAdvice, platform.ReadAdvice);
        Assert.Equal(" Run as root to catch them.", platform.DestroyFeedAdvice);
    }

    [Fact]
    public void AnOsWithoutAReaderGetsOneErrorThatNamesTheOnesWithOne()
    {
        SocketTableException e = SocketPlatform.NotSupported("FreeBSD 14.1-RELEASE", knownOs: false, pointerSize: 8);

        Assert.Equal("PlatformNotSupported", e.ErrorId);
        Assert.Equal(ErrorCategory.NotImplemented, e.Category);
        Assert.Equal("SockTools reads the socket table on Linux, Windows and macOS; FreeBSD 14.1-RELEASE has no reader.", e.Message);
        Assert.Contains("Test-SockPort works on every system", e.RecommendedAction);
    }

    [Fact]
    public void AThirtyTwoBitProcessIsToldToUseA64BitPowerShell()
    {
        SocketTableException e = SocketPlatform.NotSupported("Microsoft Windows 10.0.19045", knownOs: true, pointerSize: 4);

        Assert.Equal("PlatformNotSupported", e.ErrorId);
        Assert.Contains("32-bit process", e.Message);
        Assert.Contains("64-bit PowerShell", e.RecommendedAction);
    }
}
