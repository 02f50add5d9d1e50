using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using SockTools.Interop.MacOS;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.MacOS;
using SockTools.Watch;
using Xunit;

namespace SockTools.Tests.MacOS;

/// <summary>MacFdOwnerLookup over rows parsed from pcblist_n fixtures, with a fake in place of libproc.</summary>
public sealed class MacOSOwnerLookupTests
{
    private const ulong Listener = 0xA1, Connection = 0xB2, Peer = 0xC3, Hidden = 0xD4;

    /// <summary>Processes with descriptors: pid -> (fd -> socket handle); denied pids answer EPERM.</summary>
    private sealed class FakeProcesses : IMacProcesses
    {
        internal Dictionary<int, Dictionary<int, ulong>> Files { get; } = new()
        {
            [88] = new() { [5] = Listener },                          // launchd-like parent holding the listener
            [412] = new() { [3] = Listener, [9] = Connection },       // the server: the listener and one connection
            [413] = new() { [4] = Listener },                         // a worker sharing the listener
            [700] = new() { [12] = Peer },                            // the client
        };

        internal Dictionary<int, string> Names { get; } = new() { [88] = "launchd", [412] = "nginx", [413] = "nginx", [700] = "curl", [900] = "WindowServer" };

        internal Dictionary<int, MacErrno> Refusals { get; } = new() { [900] = MacErrno.EPERM };

        internal Dictionary<(int, int), MacErrno> BrokenDescriptors { get; } = new();

        internal List<int> Listed { get; } = new();

        public List<int> AllProcessIds() => Files.Keys.Concat(Refusals.Keys).OrderBy(p => p).ToList();

        public List<int>? SocketDescriptors(int pid, out MacErrno errno)
        {
            Listed.Add(pid);
            if (Refusals.TryGetValue(pid, out errno))
            {
                return null;
            }

            errno = MacErrno.None;
            return Files.TryGetValue(pid, out Dictionary<int, ulong>? fds) ? fds.Keys.ToList() : null;
        }

        public ulong SocketHandleOf(int pid, int fd, out MacErrno errno)
        {
            if (BrokenDescriptors.TryGetValue((pid, fd), out errno))
            {
                return 0;
            }

            errno = MacErrno.None;
            return Files[pid][fd];
        }

        public string? NameOf(int pid) => Names.TryGetValue(pid, out string? name) ? name : null;

        public string? UserNameOf(uint uid) => uid switch { 501 => "alice", 0 => "root", _ => null };
    }

    private static readonly PcbSocket[] Sockets =
    {
        new() { LocalAddress = IPAddress.Any, LocalPort = 80, TcpState = 1, Handle = Listener, Uid = 501, QueueLimit = 511 },
        new() { LocalAddress = IPAddress.Loopback, LocalPort = 80, RemoteAddress = IPAddress.Loopback, RemotePort = 51000, Handle = Connection, Uid = 501 },
        new() { LocalAddress = IPAddress.Loopback, LocalPort = 51000, RemoteAddress = IPAddress.Loopback, RemotePort = 80, Handle = Peer, Uid = 501 },
        new() { LocalAddress = IPAddress.Loopback, LocalPort = 50999, RemoteAddress = IPAddress.Loopback, RemotePort = 80, TcpState = 10, SocketState = 0x1, Handle = 0xE5, Uid = 501 },
        new() { LocalAddress = IPAddress.Parse("192.168.1.20"), LocalPort = 5900, TcpState = 1, Handle = Hidden, Uid = 0 },
    };

    private static List<SocketRecord> Rows(params PcbSocket[] sockets)
    {
        PcbListFixtureBuilder builder = PcbListFixtureBuilder.Create((uint)sockets.Length);
        foreach (PcbSocket socket in sockets)
        {
            builder.Socket(socket);
        }

        byte[] list = builder.Trailer().Build();
        var rows = new List<SocketRecord>();
        PcbListParser.Parse(list, list.Length, SocketProtocol.Tcp, null, rows);
        return rows;
    }

    private static (List<SocketEntry> Entries, RecordingTableLog Log) Attach(SocketQuery query, FakeProcesses processes, PcbSocket[]? sockets = null)
    {
        var log = new RecordingTableLog();
        var lookup = new MacFdOwnerLookup(() => processes);
        List<SocketEntry> entries = lookup.Attach(query, Rows(sockets ?? Sockets), new TableSession(log)).ToList();
        return (entries, log);
    }

    [Fact]
    public void ASocketIsMatchedToEveryDescriptorThatHoldsItLowestPidFirst()
    {
        SocketEntry listener = Attach(new SocketQuery(), new FakeProcesses()).Entries[0];

        Assert.Equal(88, listener.ProcessId);
        Assert.Equal("launchd", listener.ProcessName);
        Assert.Equal(new[] { "launchd(pid=88,fd=5)", "nginx(pid=412,fd=3)", "nginx(pid=413,fd=4)" }, listener.Owners!.Select(o => o.ToString()));
        Assert.Equal(3, listener.Owners![1].Properties["FileDescriptor"].Value);
    }

    [Fact]
    public void AnEntryHasTheQueuesAndUserPcblistCarriesAndNullForWhatItDoesNot()
    {
        SocketEntry listener = Attach(new SocketQuery(), new FakeProcesses()).Entries[0];

        Assert.Equal(0, listener.ReceiveQueue);
        Assert.Equal(511, listener.SendQueue);
        Assert.Equal(501, listener.UserId);
        Assert.Equal("alice", listener.UserName);
        Assert.Equal(0, listener.Retransmits);
        Assert.Null(listener.Timer);
        Assert.Null(listener.TimerRemainingMs);
        Assert.Null(listener.Inode);
        Assert.Null(listener.Cookie);
        Assert.Equal(Exposure.AllInterfaces, listener.Exposure);
    }

    [Fact]
    public void BothEndsOfALocalConnectionFindTheirOwnProcess()
    {
        List<SocketEntry> entries = Attach(new SocketQuery(), new FakeProcesses()).Entries;

        Assert.Equal("nginx(pid=412,fd=9)", Assert.Single(entries[1].Owners!).ToString());
        Assert.Equal("curl(pid=700,fd=12)", Assert.Single(entries[2].Owners!).ToString());
    }

    [Fact]
    public void ASocketNoFileRefersToHasNoOwnerAndIsNotCountedAsHidden()
    {
        (List<SocketEntry> entries, RecordingTableLog log) = Attach(new SocketQuery(), new FakeProcesses(), sockets: Sockets.Take(4).ToArray());

        SocketEntry timeWait = entries[3];
        Assert.Equal(SocketState.TimeWait, timeWait.State);
        Assert.Null(timeWait.ProcessId);
        Assert.Equal(501, timeWait.UserId); // macOS keeps the socket's credentials while it waits
        Assert.Empty(log.Warnings);
    }

    [Fact]
    public void AnotherUsersProcessHidesItsSocketsWithOneWarningThatCountsThem()
    {
        (List<SocketEntry> entries, RecordingTableLog log) = Attach(new SocketQuery(), new FakeProcesses());

        Assert.Null(entries[4].ProcessId);
        Assert.Equal("root", entries[4].UserName); // the socket's user is in the table all the same
        (string id, string message) = Assert.Single(log.Warnings);
        Assert.Equal("OwnersHidden", id);
        Assert.StartsWith("The owning process of 1 socket(s) is unknown (ProcessId is null): 1 process(es) (process 900) belong to other users", message);
        Assert.Contains("sudo", message);
    }

    [Fact]
    public void ADescriptorClosedMeanwhileIsNoProblemButAnyOtherFailureIsWarnedWithItsErrno()
    {
        var closed = new FakeProcesses();
        closed.Refusals.Clear(); // no other user's process: only the closed descriptor could cost an owner
        closed.BrokenDescriptors[(700, 12)] = MacErrno.EBADF;
        (List<SocketEntry> entries, RecordingTableLog log) = Attach(new SocketQuery(), closed, sockets: Sockets.Take(3).ToArray());
        Assert.Null(entries[2].ProcessId);
        Assert.Empty(log.Warnings);

        var broken = new FakeProcesses();
        broken.Refusals.Clear();
        broken.BrokenDescriptors[(700, 12)] = MacErrno.EIO;
        (_, log) = Attach(new SocketQuery(), broken, sockets: Sockets.Take(3).ToArray());
        (string id, string message) = Assert.Single(log.Warnings);
        Assert.Equal("OwnersHidden", id);
        Assert.Contains("proc_pidfdinfo(PROC_PIDFDSOCKETINFO)(pid 700): EIO (input/output error)", message);
    }

    [Fact]
    public void ProcessIdKeepsTheSocketsThatProcessHoldsWithAllTheirOwners()
    {
        List<SocketEntry> entries = Attach(new SocketQuery { ProcessIds = new HashSet<int> { 413 } }, new FakeProcesses()).Entries;

        SocketEntry listener = Assert.Single(entries);
        Assert.Equal(80, listener.LocalPort);
        Assert.Equal(88, listener.ProcessId); // the lowest owner, whichever owner matched
        Assert.Equal(3, listener.Owners!.Count);
    }

    [Fact]
    public void ProcessNameMatchesTheProcessesName()
    {
        var pattern = new WildcardPattern("cu*", WildcardOptions.IgnoreCase);

        SocketEntry client = Assert.Single(Attach(new SocketQuery { ProcessNameMatch = pattern.IsMatch }, new FakeProcesses()).Entries);

        Assert.Equal(51000, client.LocalPort);
        Assert.Equal("curl", client.ProcessName);
    }

    [Fact]
    public void AUserSpaceFlowIsOwnedByTheProcessTheTableNames()
    {
        PcbSocket flow = new() { LocalAddress = IPAddress.Parse("192.168.1.20"), LocalPort = 60000, RemoteAddress = IPAddress.Parse("17.253.144.10"), RemotePort = 443, Handle = 0, Uid = 0, LastPid = 700 };

        (List<SocketEntry> entries, RecordingTableLog log) = Attach(new SocketQuery(), new FakeProcesses(), sockets: new[] { flow });

        SocketEntry entry = Assert.Single(entries);
        Assert.Equal(700, entry.ProcessId);
        Assert.Equal("curl(pid=700)", Assert.Single(entry.Owners!).ToString());
        Assert.Null(entry.UserId);
        Assert.Null(entry.UserName);
        Assert.Empty(log.Warnings);
    }

    [Fact]
    public void AWatchTellsApartTwoListenersSharingAPortByTheirSocketHandles()
    {
        // SO_REUSEPORT listeners share the 4-tuple; macOS has no inode, so the handle tells them apart.
        PcbSocket first = new() { LocalAddress = IPAddress.Any, LocalPort = 8443, TcpState = 1, Handle = Listener };
        PcbSocket second = first with { Handle = Connection };
        var tracker = new SocketChangeTracker();
        var lookup = new MacFdOwnerLookup(() => new FakeProcesses());
        IEnumerable<SocketEntry> Owners(List<SocketRecord> fresh) => lookup.Attach(new SocketQuery(), fresh, new TableSession(new RecordingTableLog())).ToList();

        List<SocketChange> opened = tracker.Start(Rows(new[] { first, second }), Owners, System.DateTime.Now, reportExisting: true);
        List<SocketChange> closed = tracker.Update(Rows(new[] { first }), Owners, System.DateTime.Now);

        Assert.Equal(2, opened.Count);
        Assert.Equal(ChangeType.Closed, Assert.Single(closed).ChangeType);
    }
}
