using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using SockTools.Interop.MacOS;
using SockTools.Table;
using SockTools.Table.MacOS;
using Xunit;

namespace SockTools.Tests.MacOS;

/// <summary>
/// The sysctl loop around pcblist_n, fed by a fake that behaves as sysctl(3) documents: no buffer gets an
/// estimate of the size; too small a buffer gets ENOMEM; a big enough one gets the list and its length.
/// </summary>
public sealed class MacOSSysctlFetchTests
{
    private sealed class FakeSysctl
    {
        private readonly byte[][] _lists;
        private readonly int _estimate;

        /// <param name="estimate">What the size question answers (the kernel's estimate, which may be too small by then).</param>
        /// <param name="lists">The list each call sees (the last one stays).</param>
        internal FakeSysctl(int estimate, params byte[][] lists)
        {
            _estimate = estimate;
            _lists = lists;
        }

        internal int Calls { get; private set; }

        internal List<int> BufferSizes { get; } = new();

        internal MacErrno Call(byte[] buffer, ref long length)
        {
            byte[] list = _lists[Math.Min(Calls, _lists.Length - 1)];
            Calls++;
            BufferSizes.Add(buffer.Length);
            Assert.Equal(buffer.Length, length);
            if (buffer.Length == 0)
            {
                length = _estimate;
                return MacErrno.None;
            }

            if (buffer.Length < list.Length)
            {
                Array.Copy(list, buffer, buffer.Length); // sysctl copies what fits, then says ENOMEM
                length = buffer.Length;
                return MacErrno.ENOMEM;
            }

            list.CopyTo(buffer, 0);
            length = list.Length;
            return MacErrno.None;
        }
    }

    private static byte[] List(int sockets)
    {
        PcbListFixtureBuilder builder = PcbListFixtureBuilder.Create((uint)sockets);
        for (int i = 0; i < sockets; i++)
        {
            builder.Socket(new PcbSocket { LocalAddress = IPAddress.Loopback, LocalPort = (ushort)(2000 + i), Handle = (ulong)(i + 1) });
        }

        return builder.Trailer().Build();
    }

    private static int Rows(byte[] buffer, int length)
    {
        var rows = new List<SocketRecord>();
        PcbListParser.Parse(buffer, length, SocketProtocol.Tcp, null, rows);
        return rows.Count;
    }

    [Fact]
    public void AsksForTheSizeThenReadsTheListAndItsLength()
    {
        byte[] list = List(3);
        var fake = new FakeSysctl(list.Length, list);

        byte[] buffer = SysctlFetch.Read("net.inet.tcp.pcblist_n", fake.Call, out int length);

        Assert.Equal(2, fake.Calls);
        Assert.Equal(0, fake.BufferSizes[0]);
        Assert.Equal(list.Length, length);
        Assert.True(buffer.Length >= length);
        Assert.Equal(3, Rows(buffer, length));
    }

    [Fact]
    public void AListThatOutgrewTheEstimateIsReadAgainInALargerBuffer()
    {
        byte[] small = List(2);
        byte[] large = List(40);
        var fake = new FakeSysctl(small.Length, small, large);

        byte[] buffer = SysctlFetch.Read("net.inet.tcp.pcblist_n", fake.Call, out int length);

        Assert.True(fake.Calls >= 3);
        Assert.Equal(40, Rows(buffer, length));
    }

    [Fact]
    public void ANeverEndingGrowthEndsInAnIOError()
    {
        int size = 100;
        MacErrno Call(byte[] buffer, ref long length)
        {
            size *= 4;
            length = buffer.Length == 0 ? size : buffer.Length;
            return buffer.Length == 0 ? MacErrno.None : MacErrno.ENOMEM;
        }

        Assert.Throws<IOException>(() => SysctlFetch.Read("net.inet.udp.pcblist_n", Call, out _));
    }

    [Theory]
    [InlineData(1)]  // EPERM
    [InlineData(2)]  // ENOENT: no such sysctl
    [InlineData(22)] // EINVAL
    public void AnotherErrnoIsAMacCallExceptionNamingTheSysctl(int errno)
    {
        MacErrno Call(byte[] buffer, ref long length) => (MacErrno)errno;

        var e = Assert.Throws<MacCallException>(() => SysctlFetch.Read("net.inet.udp.pcblist_n", Call, out _));

        Assert.Equal((MacErrno)errno, e.Errno);
        Assert.StartsWith("sysctlbyname(net.inet.udp.pcblist_n) failed: ", e.Message);
        Assert.True(SocketTableException.IsReaderFailure(e));
    }

    [Fact]
    public void ALengthBeyondTheBufferIsAFormatError()
    {
        MacErrno Call(byte[] buffer, ref long length)
        {
            length = buffer.Length == 0 ? 64 : buffer.Length + 8;
            return MacErrno.None;
        }

        Assert.Throws<SocketTableFormatException>(() => SysctlFetch.Read("net.inet.tcp.pcblist_n", Call, out _));
    }

    [Fact]
    public void EpermMakesAPermissionDeniedError()
    {
        var failure = SocketTableException.ReadFailed(new MacCallException("sysctlbyname", MacErrno.EPERM, "net.inet.tcp.pcblist_n"));

        Assert.Equal(System.Management.Automation.ErrorCategory.PermissionDenied, failure.Category);
        Assert.Contains("EPERM (operation not permitted)", failure.Message);
    }
}
