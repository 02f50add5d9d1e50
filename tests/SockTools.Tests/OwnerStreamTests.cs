using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>The background owner scan, on sockets this test process holds.</summary>
public sealed class OwnerStreamTests : IDisposable
{
    private readonly List<Socket> _sockets = new();

    public void Dispose() => _sockets.ForEach(s => s.Dispose());

    private ulong OpenSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sockets.Add(socket);
        string link = new FileInfo($"/proc/self/fd/{socket.Handle}").LinkTarget!;
        return ulong.Parse(link["socket:[".Length..^1]);
    }

    private static List<int> PidsAround(int pid)
        => ProcFdScanner.AllProcessIds().Where(p => p <= pid).ToList(); // ascending, ours last

    [Fact]
    public void HandsOutEveryWantedSocketWithItsOwnerAndNothingElse()
    {
        if (!OperatingSystem.IsLinux()) return;
        var mine = new HashSet<ulong> { OpenSocket(), OpenSocket(), OpenSocket() };
        var wanted = new HashSet<ulong>(mine) { 999_999_999_999 }; // no such socket

        using var stream = new OwnerStream(PidsAround(Environment.ProcessId), wanted);
        var owners = stream.Owners().ToList();

        Assert.Equal(mine.OrderBy(i => i), owners.Select(o => o.Inode).OrderBy(i => i));
        Assert.All(owners, o => Assert.Equal(Environment.ProcessId, o.Pid));
        Assert.Equal(3, stream.Result().ProcessByInode.Count);
    }

    [Fact]
    public void BatchScanAgreesWithTheStream()
    {
        if (!OperatingSystem.IsLinux()) return;
        var wanted = new HashSet<ulong> { OpenSocket(), OpenSocket() };
        OwnerScan scan = ProcFdScanner.Scan(PidsAround(Environment.ProcessId), wanted);
        Assert.Equal(wanted.OrderBy(i => i), scan.ProcessByInode.Keys.OrderBy(i => i));
        Assert.All(scan.ProcessByInode.Values, pid => Assert.Equal(Environment.ProcessId, pid));
    }

    [Fact]
    public void StoppingEarlyEndsTheScanWithoutError()
    {
        if (!OperatingSystem.IsLinux()) return;
        var wanted = new HashSet<ulong> { OpenSocket(), OpenSocket() };
        var stream = new OwnerStream(PidsAround(Environment.ProcessId), wanted);
        using (IEnumerator<(ulong, int)> owners = stream.Owners().GetEnumerator())
        {
            Assert.True(owners.MoveNext());
        }

        stream.Dispose(); // cancels and joins the workers
    }

    [Fact]
    public void AProcessListWithoutTheOwnerFindsNothing()
    {
        if (!OperatingSystem.IsLinux()) return;
        var wanted = new HashSet<ulong> { OpenSocket() };
        using var stream = new OwnerStream(new List<int> { 1 }, wanted); // pid 1 does not hold our socket
        Assert.Empty(stream.Owners());
    }
}
