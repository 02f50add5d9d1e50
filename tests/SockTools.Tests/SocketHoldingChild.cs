using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace SockTools.Tests;

/// <summary>
/// Another process holding two loopback TCP connections on fds 3 and 4: a bash that opens them and becomes sleep,
/// which keeps them (they are not close-on-exec). Its sockets, as /proc/&lt;pid&gt;/fd lists them, are known once
/// it is ready; disposing kills it.
/// </summary>
internal sealed class SocketHoldingChild : IDisposable
{
    private readonly Socket _listener;
    private readonly Process _process;
    private readonly Socket[] _accepted;

    internal SocketHoldingChild()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4);
        int port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _process = Process.Start("bash", $"-c \"exec 3<>/dev/tcp/127.0.0.1/{port} 4<>/dev/tcp/127.0.0.1/{port}; exec sleep 30\"")!;
        _accepted = new[] { _listener.Accept(), _listener.Accept() };
        bool ready = System.Threading.SpinWait.SpinUntil(
            () =>
            {
                // Only fds 3 and 4: the child also inherits whatever fds of this process are not close-on-exec at the
                // moment it starts (a socket another test dup()ed, for one).
                Sockets = SocketsOf(_process.Id).Where(x => x.Fd is 3 or 4).ToList();
                return Sockets.Count == 2 && File.ReadAllText($"/proc/{_process.Id}/comm").StartsWith("sleep", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(10));
        if (!ready)
        {
            Dispose();
            throw new InvalidOperationException("the child did not come up holding its two sockets within 10 s");
        }
    }

    internal int Id => _process.Id;

    /// <summary>Its two sockets (fds 3 and 4) with their inodes, read from /proc.</summary>
    internal List<(int Fd, ulong Inode)> Sockets { get; private set; } = new();

    /// <summary>The socket fds of a process, as /proc/&lt;pid&gt;/fd links name them.</summary>
    internal static List<(int Fd, ulong Inode)> SocketsOf(int pid)
        => Directory.GetFiles($"/proc/{pid}/fd")
            .Select(f => (Fd: int.Parse(Path.GetFileName(f)), Target: new FileInfo(f).LinkTarget ?? string.Empty))
            .Where(x => x.Target.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(x => (x.Fd, ulong.Parse(x.Target["socket:[".Length..^1])))
            .ToList();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        Array.ForEach(_accepted, s => s?.Dispose());
        _listener.Dispose();
    }
}
