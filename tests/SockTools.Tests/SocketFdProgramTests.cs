using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SockTools.Interop;
using SockTools.Table.Linux;
using SockTools.Table.Linux.Bpf;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// The kernel's task-file iterator with the socket-fd program, against /proc as the oracle: sockets of this
/// process and of a child process, a duplicated fd, a file that is no socket. As root only; without root the
/// answer must be "no" with the reason.
/// </summary>
public sealed class SocketFdProgramTests
{
    [DllImport("libc", SetLastError = true)]
    private static extern int dup(int fd);

    [DllImport("libc")]
    private static extern int close(int fd);

    private static bool KernelCanIterate
        => File.Exists("/sys/kernel/btf/vmlinux")
           && KernelTypes.Parse(File.ReadAllBytes("/sys/kernel/btf/vmlinux"), out _)?.FindFunction("bpf_iter_task_file") > 0;

    /// <summary>The program when this test can use it; null (the test then ends) without root or without the iterator.</summary>
    private static SocketFdProgram? Program()
    {
        if (!OperatingSystem.IsLinux() || SocketFdProgram.TurnedOff)
        {
            return null;
        }

        SocketFdProgram? program = SocketFdProgram.Shared(out string? why);
        if (Libc.geteuid() != 0)
        {
            Assert.Null(program);
            Assert.Contains("not root", why);
            return null;
        }

        if (!KernelCanIterate)
        {
            Assert.Null(program);
            return null;
        }

        Assert.True(program is not null, why); // root, BTF and the iterator: nothing should stand in the way here
        return program;
    }

    private static List<(int Pid, int Fd, ulong Inode)> ReadAll(SocketFdProgram program)
    {
        var records = new List<(int, int, ulong)>();
        Assert.True(program.TryRead((pid, fd, inode) => records.Add((pid, fd, inode)), out string? failure), failure);
        return records;
    }

    private static ulong InodeOf(string fdLink)
    {
        string target = new FileInfo(fdLink).LinkTarget!;
        return target.StartsWith("socket:[", StringComparison.Ordinal) ? ulong.Parse(target["socket:[".Length..^1]) : 0;
    }

    [Fact]
    public void ListsASocketOfThisProcessUnderEachFdThatHoldsItButNoOtherFile()
    {
        SocketFdProgram? program = Program();
        if (program is null)
        {
            return;
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int fd = (int)socket.Handle;
        int copy = dup(fd);
        Assert.True(copy >= 0);
        using var file = new FileStream("/proc/self/status", FileMode.Open, FileAccess.Read);
        int fileFd = (int)file.SafeFileHandle.DangerousGetHandle();
        try
        {
            ulong inode = InodeOf($"/proc/self/fd/{fd}");
            var mine = ReadAll(program).Where(r => r.Pid == Environment.ProcessId).ToList();

            Assert.Contains((Environment.ProcessId, fd, inode), mine);
            Assert.Contains((Environment.ProcessId, copy, inode), mine);
            Assert.DoesNotContain(mine, r => r.Fd == fileFd);
        }
        finally
        {
            close(copy);
        }
    }

    [Fact]
    public void ListsTheSocketsOfAnotherProcessExactlyAsProcDoes()
    {
        SocketFdProgram? program = Program();
        if (program is null)
        {
            return;
        }

        using var child = new SocketHoldingChild();
        var viaKernel = ReadAll(program).Where(r => r.Pid == child.Id).Select(r => (r.Fd, r.Inode)).ToList();
        var viaProc = SocketHoldingChild.SocketsOf(child.Id); // with any socket fd it inherited, as the kernel lists it too

        Assert.Equal(viaProc.OrderBy(x => x.Fd), viaKernel.OrderBy(x => x.Fd));
        Assert.Subset(viaKernel.ToHashSet(), child.Sockets.ToHashSet());
    }

    [Fact]
    public void TheOwnerScanHandsOutTheSameOwnersWithTheKernelPassAsWithProc()
    {
        SocketFdProgram? program = Program();
        if (program is null)
        {
            return;
        }

        var sockets = Enumerable.Range(0, 5).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)).ToList();
        using var child = new SocketHoldingChild();
        try
        {
            sockets.ForEach(s => s.Bind(new IPEndPoint(IPAddress.Loopback, 0)));
            var mine = sockets.Select(s => InodeOf($"/proc/self/fd/{(int)s.Handle}")).ToList();
            var wanted = mine.Concat(child.Sockets.Select(x => x.Inode)).ToList();
            List<int> pids = ProcFdScanner.AllProcessIds();

            var viaKernel = Owners(pids, wanted, useKernel: true, out string source);
            var viaProc = Owners(pids, wanted, useKernel: false, out string procSource);

            Assert.Equal(wanted.Count, viaKernel.Count);
            Assert.Equal(viaProc, viaKernel);
            Assert.All(viaKernel, o => Assert.Equal(mine.Contains(o.Inode) ? Environment.ProcessId : child.Id, o.Pid));
            Assert.StartsWith("the kernel's task-file iterator", source);
            Assert.Equal("/proc/<pid>/fd", procSource);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public void ASocketThePassFindsNoOwnerForSendsTheScanToProcForTheProcessesItShowedNoSocketFor()
    {
        SocketFdProgram? program = Program();
        if (program is null)
        {
            return;
        }

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        ulong mine = InodeOf($"/proc/self/fd/{(int)socket.Handle}");
        List<int> pids = ProcFdScanner.AllProcessIds();
        var owners = Owners(pids, new List<ulong> { mine, 999_999_999_999UL }, useKernel: true, out string source); // nobody holds the second

        Assert.Equal((mine, Environment.ProcessId), owners.Select(o => (o.Inode, o.Pid)).Single());
        Assert.Matches(@"^the kernel's task-file iterator \(\d+ process\(es\) with sockets\), and /proc/<pid>/fd for \d+ process\(es\) it showed no socket for$", source);
    }

    private static List<(ulong Inode, int Pid, int Fd)> Owners(List<int> pids, List<ulong> wanted, bool useKernel, out string source)
    {
        var problems = new OwnerReadProblems();
        using var stream = new OwnerStream(pids, wanted, new ProcessNameCache(problems), problems, useKernel: useKernel);
        var owners = stream.Owners().Select(o => (o.Inode, o.Pid, o.Fd)).OrderBy(o => o.Inode).ToList();
        source = stream.Source;
        return owners;
    }
}
