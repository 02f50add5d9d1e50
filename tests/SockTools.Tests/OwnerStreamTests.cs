using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>The owner scan, on sockets this test process holds (some of them through two fds).</summary>
public sealed class OwnerStreamTests : IDisposable
{
    private readonly List<Socket> _sockets = new();
    private readonly List<int> _duplicates = new();

    [DllImport("libc", SetLastError = true)]
    private static extern int dup(int fd);

    [DllImport("libc")]
    private static extern int close(int fd);

    public void Dispose()
    {
        _sockets.ForEach(s => s.Dispose());
        _duplicates.ForEach(fd => close(fd));
    }

    private (ulong Inode, int Fd) OpenSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sockets.Add(socket);
        int fd = (int)socket.Handle;
        return (InodeOf(fd), fd);
    }

    private static ulong InodeOf(int fd)
    {
        string link = new FileInfo($"/proc/self/fd/{fd}").LinkTarget!;
        return ulong.Parse(link["socket:[".Length..^1]);
    }

    private static List<int> PidsUpToMine()
        => ProcFdScanner.AllProcessIds().Where(p => p <= Environment.ProcessId).ToList(); // ascending, ours last

    private static OwnerStream Stream(IReadOnlyList<int> pids, IEnumerable<ulong> wanted, OwnerReadProblems? problems = null)
    {
        problems ??= new OwnerReadProblems();
        return new OwnerStream(pids, wanted, new ProcessNameCache(problems), problems);
    }

    [Fact]
    public void HandsOutEveryWantedSocketWithItsOwnerAndFdAndNothingElse()
    {
        if (!OperatingSystem.IsLinux()) return;
        var mine = new[] { OpenSocket(), OpenSocket(), OpenSocket() };
        var wanted = mine.Select(m => m.Inode).Append(999_999_999_999UL); // no such socket

        using OwnerStream stream = Stream(PidsUpToMine(), wanted);
        var owners = stream.Owners().ToList();

        Assert.Equal(mine.Select(m => m.Inode).OrderBy(i => i), owners.Select(o => o.Inode).OrderBy(i => i));
        Assert.All(owners, o => Assert.Equal(Environment.ProcessId, o.Pid));
        Assert.All(owners, o => Assert.Equal(mine.Single(m => m.Inode == o.Inode).Fd, o.Fd));
    }

    [Fact]
    public void TheBookListsEveryFdThatHoldsASocket()
    {
        if (!OperatingSystem.IsLinux()) return;
        (ulong inode, int fd) = OpenSocket();
        int copy = dup(fd);
        Assert.True(copy >= 0);
        _duplicates.Add(copy);

        using OwnerStream stream = Stream(PidsUpToMine(), new[] { inode });
        (_, int slot, int pid, _) = Assert.Single(stream.Owners());

        SocketOwnerList all = stream.Book.OwnersOf(slot);
        Assert.Equal(new[] { Math.Min(fd, copy), Math.Max(fd, copy) }, all.Select(o => (int)o.Properties["FileDescriptor"].Value));
        Assert.All(all, o => Assert.Equal(pid, (int)o.Properties["ProcessId"].Value));
        Assert.All(all, o => Assert.Equal(File.ReadAllText("/proc/self/comm").TrimEnd('\n'), (string)o.Properties["ProcessName"].Value));
        Assert.Equal($"{all.Holder(0).ProcessName}(pid={pid},fd={Math.Min(fd, copy)})", all[0].ToString());
        Assert.Equal($"{all[0]}, {all[1]}", all.ToString());
    }

    [Fact]
    public void AStreamStoppedEarlyStillGivesCompleteListsWhenAsked()
    {
        if (!OperatingSystem.IsLinux()) return;
        var mine = new[] { OpenSocket(), OpenSocket() };
        int copy = dup(mine[1].Fd);
        _duplicates.Add(copy);
        var stream = Stream(PidsUpToMine(), mine.Select(m => m.Inode));
        int slot;
        using (IEnumerator<(ulong, int Slot, int, int)> owners = stream.Owners().GetEnumerator())
        {
            Assert.True(owners.MoveNext());
            slot = owners.Current.Slot;
        }

        stream.Dispose(); // cancels and joins the workers, as Select-Object -First does
        Assert.NotEmpty(stream.Book.OwnersOf(slot));
        Assert.True(stream.Book.TryGetSlot(mine[1].Inode, out int duplicated));
        Assert.Equal(2, stream.Book.OwnersOf(duplicated).Count); // the book read the processes the stream never reached
    }

    [Fact]
    public void HandsOutOwnersInBatchesThatEndAfterTheProcessThatFillsThem()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var child = new SocketHoldingChild(); // another process with two sockets, beside three of ours
        var theirs = child.Sockets.Select(x => x.Inode).ToList();
        var mine = new[] { OpenSocket(), OpenSocket(), OpenSocket() };
        var pids = new List<int> { Math.Min(child.Id, Environment.ProcessId), Math.Max(child.Id, Environment.ProcessId) };
        var work = new OwnerScanWork(pids, mine.Select(m => m.Inode).Concat(theirs).ToList(), new OwnerReadProblems());
        work.RunOnAllCores();

        int frontier = 0;
        var handedOut = new bool[work.Count];
        var batch = new List<(int Slot, int Pid, int Fd)>();
        Assert.True(work.TakeFinal(ref frontier, handedOut, batch, enough: 1)); // cut after the first process: more may be there
        Assert.All(batch, b => Assert.Equal(pids[0], b.Pid));
        Assert.Equal(pids[0] == child.Id ? 2 : 3, batch.Count); // a process is never split
        batch.Clear();
        Assert.True(work.TakeFinal(ref frontier, handedOut, batch, enough: 1));
        Assert.All(batch, b => Assert.Equal(pids[1], b.Pid));
        batch.Clear();
        Assert.False(work.TakeFinal(ref frontier, handedOut, batch, enough: 1)); // nothing left
        Assert.Empty(batch);
        Assert.All(handedOut, Assert.True);
    }

    [Fact]
    public void AProcessListWithoutTheOwnerFindsNothing()
    {
        if (!OperatingSystem.IsLinux()) return;
        using var stream = Stream(new List<int> { 1 }, new[] { OpenSocket().Inode }); // pid 1 does not hold our socket
        Assert.Empty(stream.Owners());
    }

    [Fact]
    public void AProcessThatEndedIsNotAProblem()
    {
        if (!OperatingSystem.IsLinux()) return;
        var problems = new OwnerReadProblems();
        using var stream = Stream(new List<int> { int.MaxValue - 1 }, new[] { OpenSocket().Inode }, problems); // no such process
        Assert.Empty(stream.Owners());
        Assert.Empty(problems.DeniedProcesses());
        Assert.Empty(problems.FailedProcesses());
    }
}
