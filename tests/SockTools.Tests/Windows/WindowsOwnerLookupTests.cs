using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using SockTools.Interop.Windows;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.Windows;
using SockTools.Watch;
using Xunit;

namespace SockTools.Tests.Windows;

/// <summary>WindowsOwnerLookup over rows parsed from fixtures, with a fake in place of the live processes.</summary>
public sealed class WindowsOwnerLookupTests
{
    private sealed class FakeProcesses : IWindowsProcesses
    {
        internal Dictionary<int, string> Names { get; } = new() { [4] = "System", [1040] = "svchost", [2208] = "nginx", [3100] = "nginx" };

        internal Dictionary<int, AccountLookup> Accounts { get; } = new()
        {
            [4] = AccountLookup.Found(@"NT AUTHORITY\SYSTEM"),
            [1040] = AccountLookup.Found(@"NT AUTHORITY\NETWORK SERVICE"),
            [2208] = AccountLookup.Found(@"CONTOSO\web"),
            [3100] = AccountLookup.Found(@"CONTOSO\web"),
        };

        internal List<int> AccountCalls { get; } = new();

        public string? NameOf(int pid) => Names.TryGetValue(pid, out string? name) ? name : null;

        public AccountLookup AccountOf(int pid)
        {
            AccountCalls.Add(pid);
            return Accounts.TryGetValue(pid, out AccountLookup account) ? account : AccountLookup.Failed("OpenProcess", (int)Win32Error.ERROR_INVALID_PARAMETER);
        }
    }

    private static List<SocketRecord> Rows(params MibRow[] rows)
    {
        var parsed = new List<SocketRecord>();
        byte[] table = IpHelperFixtureBuilder.Tcp4(rows);
        IpHelperTableParser.Parse(table, table.Length, IpHelperLayout.Tcp4, null, parsed);
        return parsed;
    }

    private static readonly MibRow[] Table =
    {
        new() { State = 2, LocalAddress = IPAddress.Any, LocalPort = 135, OwningPid = 1040 },
        new() { State = 2, LocalAddress = IPAddress.Any, LocalPort = 445, OwningPid = 4 },
        new() { State = 2, LocalAddress = IPAddress.Loopback, LocalPort = 8080, OwningPid = 2208 },
        new() { State = 5, LocalAddress = IPAddress.Loopback, LocalPort = 8080, RemoteAddress = IPAddress.Loopback, RemotePort = 50001, OwningPid = 2208 },
        new() { State = 11, LocalAddress = IPAddress.Loopback, LocalPort = 50000, RemoteAddress = IPAddress.Loopback, RemotePort = 8080, OwningPid = 0 },
        new() { State = 2, LocalAddress = IPAddress.Parse("10.1.2.3"), LocalPort = 9000, OwningPid = 3100 },
    };

    private static (List<SocketEntry> Entries, RecordingTableLog Log) Attach(SocketQuery query, FakeProcesses processes, params MibRow[] rows)
    {
        var log = new RecordingTableLog();
        var lookup = new WindowsOwnerLookup(() => processes);
        List<SocketEntry> entries = lookup.Attach(query, Rows(rows.Length == 0 ? Table : rows), new TableSession(log)).ToList();
        return (entries, log);
    }

    [Fact]
    public void EachEntryNamesTheProcessTheTableNamesWithItsNameAndAccount()
    {
        (List<SocketEntry> entries, RecordingTableLog log) = Attach(new SocketQuery(), new FakeProcesses());

        SocketEntry rpc = entries[0];
        Assert.Equal(1040, rpc.ProcessId);
        Assert.Equal("svchost", rpc.ProcessName);
        Assert.Equal(@"NT AUTHORITY\NETWORK SERVICE", rpc.UserName);
        PSObject owner = Assert.Single(rpc.Owners!);
        Assert.Equal("svchost(pid=1040)", owner.ToString()); // Windows names no handle: no fd
        Assert.Null(owner.Properties["FileDescriptor"].Value);
        Assert.Equal(1040, owner.Properties["ProcessId"].Value);
        Assert.Empty(log.Warnings);
    }

    [Fact]
    public void WhatWindowsDoesNotReportIsNullNeverZero()
    {
        SocketEntry entry = Attach(new SocketQuery(), new FakeProcesses()).Entries[3];

        Assert.Equal(SocketState.Established, entry.State);
        Assert.Null(entry.ReceiveQueue);
        Assert.Null(entry.SendQueue);
        Assert.Null(entry.Timer);
        Assert.Null(entry.TimerRemainingMs);
        Assert.Null(entry.Retransmits);
        Assert.Null(entry.Inode);
        Assert.Null(entry.Cookie);
        Assert.Null(entry.UserId);
        Assert.Null(entry.InterfaceIndex);
        Assert.Equal(@"CONTOSO\web", entry.UserName);
        Assert.Equal("tcp ESTAB - - 127.0.0.1:8080 127.0.0.1:50001 users:((\"nginx\",pid=2208))", entry.ToString());
    }

    [Fact]
    public void ExposureComesFromTheBoundAddressAsOnLinux()
    {
        List<SocketEntry> entries = Attach(new SocketQuery(), new FakeProcesses()).Entries;

        Assert.Equal(Exposure.AllInterfaces, entries[0].Exposure);
        Assert.Equal(Exposure.Loopback, entries[2].Exposure);
        Assert.Equal(Exposure.Address, entries[5].Exposure);
    }

    [Fact]
    public void ATimeWaitRowOfTheIdleProcessHasNoOwner()
    {
        SocketEntry timeWait = Attach(new SocketQuery(), new FakeProcesses()).Entries[4];

        Assert.Equal(SocketState.TimeWait, timeWait.State);
        Assert.Null(timeWait.ProcessId);
        Assert.Null(timeWait.ProcessName);
        Assert.Null(timeWait.Owners);
        Assert.Null(timeWait.UserName);
    }

    [Fact]
    public void AnAccountIsReadOncePerProcessPerRead()
    {
        var processes = new FakeProcesses();

        Attach(new SocketQuery(), processes);

        Assert.Equal(new[] { 1040, 4, 2208, 3100 }, processes.AccountCalls);
    }

    [Fact]
    public void ProcessIdKeepsOnlyThatProcesssSocketsAndNoOwnerlessOnes()
    {
        List<SocketEntry> entries = Attach(new SocketQuery { ProcessIds = new HashSet<int> { 2208 } }, new FakeProcesses()).Entries;

        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(2208, e.ProcessId));
    }

    [Fact]
    public void ProcessNameMatchesTheNameGetProcessShows()
    {
        var pattern = new WildcardPattern("NGIN*", WildcardOptions.IgnoreCase);

        List<SocketEntry> entries = Attach(new SocketQuery { ProcessNameMatch = pattern.IsMatch }, new FakeProcesses()).Entries;

        Assert.Equal(new int?[] { 2208, 2208, 3100 }, entries.Select(e => e.ProcessId));
    }

    [Fact]
    public void AProcessThatEndedHasAnOwnerWithoutANameAndNoWarning()
    {
        var processes = new FakeProcesses();
        processes.Names.Remove(3100);
        processes.Accounts.Remove(3100);

        (List<SocketEntry> entries, RecordingTableLog log) = Attach(new SocketQuery(), processes);

        Assert.Equal(3100, entries[5].ProcessId);
        Assert.Null(entries[5].ProcessName);
        Assert.Equal("?(pid=3100)", entries[5].Owners![0].ToString());
        Assert.Empty(log.Warnings);
    }

    [Fact]
    public void DeniedAccountsAreNullWithOneWarningThatCountsThem()
    {
        var processes = new FakeProcesses();
        processes.Accounts[4] = AccountLookup.Failed("OpenProcessToken", (int)Win32Error.ERROR_ACCESS_DENIED);
        processes.Accounts[1040] = AccountLookup.Failed("OpenProcess", (int)Win32Error.ERROR_ACCESS_DENIED);

        (List<SocketEntry> entries, RecordingTableLog log) = Attach(new SocketQuery(), processes);

        Assert.Null(entries[0].UserName);
        Assert.Null(entries[1].UserName);
        Assert.Equal(1040, entries[0].ProcessId); // the owner is known all the same: the table names it
        (string id, string message) = Assert.Single(log.Warnings);
        Assert.Equal("UsersHidden", id);
        Assert.Contains("2 process(es) (process 4, 1040)", message);
        Assert.Contains("Administrator", message);
    }

    [Fact]
    public void AnotherFailureIsItsOwnWarningWithTheCallAndTheError()
    {
        var processes = new FakeProcesses();
        processes.Accounts[2208] = AccountLookup.Failed("LookupAccountSidW", (int)Win32Error.ERROR_NOT_ENOUGH_MEMORY);

        (_, RecordingTableLog log) = Attach(new SocketQuery(), processes);

        (string id, string message) = Assert.Single(log.Warnings);
        Assert.Equal("UsersUnreadable", id);
        Assert.Contains("LookupAccountSidW(pid 2208): ERROR_NOT_ENOUGH_MEMORY (8)", message);
    }

    [Fact]
    public void AWatchTellsApartTwoProcessesBoundToTheSameUdpPort()
    {
        // mDNS: several programs bind 0.0.0.0:5353 with SO_REUSEADDR; Windows has no inode, so the pid tells them apart.
        var processes = new FakeProcesses();
        List<SocketRecord> Read(params uint[] pids)
        {
            var rows = new List<SocketRecord>();
            byte[] table = IpHelperFixtureBuilder.Udp4(pids.Select(p => new MibRow { LocalAddress = IPAddress.Any, LocalPort = 5353, OwningPid = p }).ToArray());
            IpHelperTableParser.Parse(table, table.Length, IpHelperLayout.Udp4, null, rows);
            return rows;
        }

        IEnumerable<SocketEntry> Owners(List<SocketRecord> fresh) => new WindowsOwnerLookup(() => processes).Attach(new SocketQuery(), fresh, new TableSession(new RecordingTableLog())).ToList();
        var tracker = new SocketChangeTracker();
        List<SocketChange> opened = tracker.Start(Read(2208, 3100), Owners, System.DateTime.Now, reportExisting: true);
        List<SocketChange> closed = tracker.Update(Read(2208), Owners, System.DateTime.Now);

        Assert.Equal(2, opened.Count);
        SocketChange change = Assert.Single(closed);
        Assert.Equal(ChangeType.Closed, change.ChangeType);
        Assert.Equal(3100, change.ProcessId);
    }
}
