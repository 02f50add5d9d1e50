using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Runtime.CompilerServices;
using SockTools.Table;
using SockTools.Table.Linux;
using SockTools.Watch;
using Xunit;

namespace SockTools.Tests;

/// <summary>The snapshot diff behind Watch-SockState, on entries built from hand-made rows.</summary>
public class SocketChangeTrackerTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0);

    private static readonly NamespaceTag Blue = new("blue", 4026532281);
    private static readonly NamespaceTag Red = new("net:[4026532999]", 4026532999);

    private static SocketEntry Entry(byte state, ushort localPort, ushort remotePort, ulong inode, int? pid, SocketProtocol protocol = SocketProtocol.Tcp, ulong cookie = 0, NamespaceTag? where = null)
    {
        var row = new SocketRecord
        {
            Protocol = protocol,
            State = KernelStates.ToSocketState(protocol, state),
            LocalAddress = AddressValue.FromIPAddress(IPAddress.Loopback),
            LocalPort = localPort,
            RemoteAddress = AddressValue.FromIPAddress(remotePort == 0 ? IPAddress.Any : IPAddress.Loopback),
            RemotePort = remotePort,
            Inode = inode,
            Uid = 1000,
            Cookie = cookie,
            Namespace = where,
        };
        EntryOwner owner = pid is int p
            ? new EntryOwner(p, "server", null, 0, new SocketOwnerList(new[] { new SocketHolder(p, "server", 3) }))
            : EntryOwner.None;
        var entry = SocketEntry.Of(in row, "127.0.0.1", remotePort == 0 ? "0.0.0.0" : "127.0.0.1", in owner, inode == 0 ? null : "alice");
        RowOf.Add(entry, new StrongBox<SocketRecord>(row));
        return entry;
    }

    // The tracker diffs rows and asks for entries only for rows it has not seen; the tests speak in entries,
    // so each entry remembers its row, and the owner lookup hands back the entries of the rows it is given.
    private static readonly ConditionalWeakTable<SocketEntry, StrongBox<SocketRecord>> RowOf = new();

    private static List<SocketRecord> Rows(IEnumerable<SocketEntry> entries) => entries.Select(e => RowOf.TryGetValue(e, out var row) ? row.Value! : throw new InvalidOperationException("not made by Entry()")).ToList();

    private static Func<List<SocketRecord>, IEnumerable<SocketEntry>> OwnersFrom(IEnumerable<SocketEntry> entries)
        => fresh => entries.Where(e => fresh.Any(r => new SocketKey(r).Equals(new SocketKey(e)))).ToList();

    private static List<SocketChange> Look(SocketChangeTracker tracker, SocketEntry[] entries, DateTime now, IReadOnlyList<SocketEntry>? destroyed = null)
        => tracker.Update(Rows(entries), OwnersFrom(entries), now, destroyed);

    private static List<SocketChange> Start(SocketChangeTracker tracker, SocketEntry[] entries, DateTime now, bool reportExisting)
        => tracker.Start(Rows(entries), OwnersFrom(entries), now, reportExisting);

    [Fact]
    public void OnlySocketsNoLookKnewGoToTheOwnerLookup()
    {
        var tracker = new SocketChangeTracker();
        var listener = Entry(KernelStates.Listen, 80, 0, 11, 100);
        var established = Entry(KernelStates.Established, 80, 5000, 12, 100);
        var asked = new List<int>();
        Func<List<SocketRecord>, IEnumerable<SocketEntry>> owners(params SocketEntry[] all) => fresh =>
        {
            asked.Add(fresh.Count);
            return OwnersFrom(all)(fresh);
        };

        tracker.Start(Rows(new[] { listener, established }), owners(listener, established), Now, false);
        var newcomer = Entry(KernelStates.Established, 80, 5001, 13, 100);
        var closing = Entry(KernelStates.CloseWait, 80, 5000, 12, 100);
        tracker.Update(Rows(new[] { listener, closing, newcomer }), owners(listener, closing, newcomer), Now);
        tracker.Update(Rows(new[] { listener, closing, newcomer }), owners(listener, closing, newcomer), Now);

        Assert.Equal(new[] { 2, 1 }, asked); // both at first, then the newcomer; a socket that changed state keeps its owners
    }

    [Fact]
    public void RowsTheOwnerFilterLeftOutAreNotAskedAboutAgainWhileTheyStay()
    {
        var tracker = new SocketChangeTracker();
        var mine = Entry(KernelStates.Established, 80, 5000, 12, 100);
        var theirs = Entry(KernelStates.Established, 80, 6000, 14, 300);
        var asked = new List<int>();
        Func<List<SocketRecord>, IEnumerable<SocketEntry>> onlyMine = fresh =>
        {
            asked.Add(fresh.Count);
            return OwnersFrom(new[] { mine })(fresh); // -ProcessId 100
        };

        tracker.Start(Rows(new[] { mine, theirs }), onlyMine, Now, false);
        Assert.Empty(tracker.Update(Rows(new[] { mine, theirs }), onlyMine, Now));
        Assert.Empty(tracker.Update(Rows(new[] { mine }), onlyMine, Now)); // theirs closed: never reported, it was left out
        tracker.Update(Rows(new[] { mine, theirs }), onlyMine, Now); // back (a new socket with the same 4-tuple): asked again

        Assert.Equal(new[] { 2, 1 }, asked);
    }

    [Fact]
    public void FirstSnapshotIsSilentUnlessExistingSocketsAreAsked()
    {
        var listener = Entry(KernelStates.Listen, 80, 0, 11, 100);
        Assert.Empty(Start(new SocketChangeTracker(), new[] { listener }, Now, reportExisting: false));
        var opened = Assert.Single(Start(new SocketChangeTracker(), new[] { listener }, Now, reportExisting: true));
        Assert.Equal(ChangeType.Opened, opened.ChangeType);
        Assert.Null(opened.PreviousState);
        Assert.Equal(SocketState.Listen, opened.State);
    }

    [Fact]
    public void ReportsOpenedStateChangedAndClosedInThatOrder()
    {
        var tracker = new SocketChangeTracker();
        var listener = Entry(KernelStates.Listen, 80, 0, 11, 100);
        var established = Entry(KernelStates.Established, 80, 5000, 12, 100);
        Start(tracker, new[] { listener, established }, Now, false);

        var newcomer = Entry(KernelStates.Established, 80, 5001, 13, 100);
        var closing = Entry(KernelStates.CloseWait, 80, 5000, 12, 100);
        List<SocketChange> changes = Look(tracker, new[] { closing, newcomer }, Now);

        Assert.Equal(new[] { ChangeType.Changed, ChangeType.Opened, ChangeType.Closed }, changes.Select(c => c.ChangeType));
        Assert.Equal(SocketState.Established, changes[0].PreviousState);
        Assert.Equal(SocketState.CloseWait, changes[0].State);
        Assert.Equal(5001, changes[1].RemotePort);
        Assert.Equal(SocketState.Listen, changes[2].PreviousState);
        Assert.Null(changes[2].State); // gone: no state any more
        Assert.Equal(100, changes[2].ProcessId);
    }

    [Fact]
    public void TimeWaitKeepsTheOwnerTheSocketHadWhileOpen()
    {
        var tracker = new SocketChangeTracker();
        Start(tracker, new[] { Entry(KernelStates.Established, 5000, 80, 12, 200) }, Now, false);
        SocketChange change = Assert.Single(Look(tracker, new[] { Entry(KernelStates.TimeWait, 5000, 80, 0, null) }, Now));
        Assert.Equal(ChangeType.Changed, change.ChangeType);
        Assert.Equal(SocketState.TimeWait, change.State);
        Assert.Equal(200, change.ProcessId);
        Assert.Equal("server", change.ProcessName);
        Assert.Equal("alice", change.UserName);
        Assert.Null(change.Inode);

        // Still carried on the next poll, and into the Closed change when TIME_WAIT ends.
        Assert.Empty(Look(tracker, new[] { Entry(KernelStates.TimeWait, 5000, 80, 0, null) }, Now));
        SocketChange closed = Assert.Single(Look(tracker, Array.Empty<SocketEntry>(), Now));
        Assert.Equal(200, closed.ProcessId);
        Assert.Equal(SocketState.TimeWait, closed.PreviousState);
    }

    [Fact]
    public void ListenersSharingAPortThroughReusePortAreDifferentSockets()
    {
        var tracker = new SocketChangeTracker();
        Start(tracker, new[] { Entry(KernelStates.Listen, 80, 0, 11, 100) }, Now, false);
        SocketChange change = Assert.Single(Look(tracker, new[] { Entry(KernelStates.Listen, 80, 0, 11, 100), Entry(KernelStates.Listen, 80, 0, 12, 101) }, Now));
        Assert.Equal(ChangeType.Opened, change.ChangeType);
        Assert.Equal(101, change.ProcessId);
    }

    [Fact]
    public void TheSame4TupleInTwoNetworkNamespacesIsTwoSockets()
    {
        // Two containers with a TIME_WAIT socket each between the same loopback ports: no inode tells them apart.
        var tracker = new SocketChangeTracker();
        var inBlue = Entry(KernelStates.TimeWait, 80, 5000, 0, null, where: Blue);
        var inRed = Entry(KernelStates.TimeWait, 80, 5000, 0, null, where: Red);
        List<SocketChange> opened = Start(tracker, new[] { inBlue, inRed }, Now, true);
        Assert.Equal(new[] { "blue", "net:[4026532999]" }, opened.Select(c => c.NetworkNamespace).OrderBy(n => n));

        SocketChange closed = Assert.Single(Look(tracker, new[] { inBlue }, Now.AddSeconds(1)));
        Assert.Equal(ChangeType.Closed, closed.ChangeType);
        Assert.Equal("net:[4026532999]", closed.NetworkNamespace);
    }

    [Fact]
    public void ADestroyedSocketIsNotTakenForALiveOneWithTheSameCookieInAnotherNamespace()
    {
        // Kernels before 5.12 count cookies per network namespace, so two namespaces can hand out the same one.
        var tracker = new SocketChangeTracker();
        var liveInBlue = Entry(KernelStates.Established, 80, 5000, 12, 100, cookie: 9, where: Blue);
        Start(tracker, new[] { liveInBlue }, Now, false);
        var goneInRed = Entry(KernelStates.Close, 80, 6000, 0, null, cookie: 9, where: Red);
        Assert.Empty(Look(tracker, new[] { liveInBlue }, Now, new[] { goneInRed }));
        SocketChange change = Assert.Single(Look(tracker, new[] { liveInBlue }, Now.AddSeconds(1)));
        Assert.Equal(ChangeType.Closed, change.ChangeType);
        Assert.Equal("net:[4026532999]", change.NetworkNamespace);
    }

    [Fact]
    public void DestroyedSocketsNoLookSawAreReportedOnceAsClosedWithoutHistoryOneLookLater()
    {
        var tracker = new SocketChangeTracker();
        var known = Entry(KernelStates.Established, 80, 5000, 12, 100);
        Start(tracker, new[] { known }, Now, false);

        var shortLived = Entry(KernelStates.Close, 80, 6000, 0, null);
        var stillHere = Entry(KernelStates.Close, 80, 5000, 0, null); // destroyed right after this poll read it
        Assert.Empty(Look(tracker, new[] { known }, Now, new[] { shortLived, shortLived, stillHere }));

        SocketChange change = Assert.Single(Look(tracker, new[] { known }, Now.AddSeconds(1)));
        Assert.Equal(ChangeType.Closed, change.ChangeType);
        Assert.Null(change.PreviousState);
        Assert.Null(change.State);
        Assert.Equal(6000, change.RemotePort);
        Assert.Empty(Look(tracker, new[] { known }, Now.AddSeconds(2)));
    }

    [Fact]
    public void AConnectionWhoseFullSocketWasFreedIntoTimeWaitIsNotClosed()
    {
        var tracker = new SocketChangeTracker();
        Start(tracker, Array.Empty<SocketEntry>(), Now, false);

        // Opened and moved to TIME_WAIT between two looks: the kernel frees the full socket (an event) and keeps
        // the 4-tuple, with the same cookie, in a TIME_WAIT socket the next look sees.
        var freed = Entry(KernelStates.Close, 5000, 80, 0, null, cookie: 77);
        Assert.Empty(Look(tracker, Array.Empty<SocketEntry>(), Now, new[] { freed }));

        var timeWait = Entry(KernelStates.TimeWait, 5000, 80, 0, null, cookie: 77);
        SocketChange opened = Assert.Single(Look(tracker, new[] { timeWait }, Now.AddSeconds(1)));
        Assert.Equal(ChangeType.Opened, opened.ChangeType);
        Assert.Equal(SocketState.TimeWait, opened.State);
    }

    [Fact]
    public void ATimeWaitSocketWithACookieOfItsOwnStillKeepsItsConnectionOpen()
    {
        var tracker = new SocketChangeTracker();
        Start(tracker, Array.Empty<SocketEntry>(), Now, false);

        // Never looked at before TIME_WAIT: the kernel gave the freed socket its cookie only at the end.
        Assert.Empty(Look(tracker, Array.Empty<SocketEntry>(), Now, new[] { Entry(KernelStates.Close, 5000, 80, 0, null, cookie: 78) }));
        SocketChange opened = Assert.Single(Look(tracker, new[] { Entry(KernelStates.TimeWait, 5000, 80, 0, null, cookie: 1078) }, Now.AddSeconds(1)));
        Assert.Equal(ChangeType.Opened, opened.ChangeType);
    }

    [Fact]
    public void ASocketResetByItsOwnerNamesNoConnectionAndIsLeftOutAndCounted()
    {
        var tracker = new SocketChangeTracker();
        Start(tracker, Array.Empty<SocketEntry>(), Now, false);

        var reset = Entry(KernelStates.Close, 37648, 0, 0, null, cookie: 5); // the kernel cleared the peer port first
        Assert.Empty(Look(tracker, Array.Empty<SocketEntry>(), Now, new[] { reset }));
        Assert.Empty(Look(tracker, Array.Empty<SocketEntry>(), Now.AddSeconds(1)));
        Assert.Equal(1, tracker.UnidentifiableDestroyed);
    }

    [Fact]
    public void TheLateDestroyOfASocketAlreadyClosedIsNoSecondClose()
    {
        var tracker = new SocketChangeTracker();
        var reset = Entry(KernelStates.Established, 80, 5000, 12, 100, cookie: 9);
        Start(tracker, new[] { reset }, Now, false);

        // It received a reset: gone from the table at once, Closed.
        SocketChange closed = Assert.Single(Look(tracker, Array.Empty<SocketEntry>(), Now.AddSeconds(1)));
        Assert.Equal(ChangeType.Closed, closed.ChangeType);

        // Its owner closes the fd later: the kernel frees it now, the event carries the same cookie.
        var freedLate = Entry(KernelStates.Close, 80, 5000, 0, null, cookie: 9);
        Assert.Empty(Look(tracker, Array.Empty<SocketEntry>(), Now.AddSeconds(5), new[] { freedLate }));
        Assert.Empty(Look(tracker, Array.Empty<SocketEntry>(), Now.AddSeconds(6)));
    }

    [Fact]
    public void DestroyEventsOfSocketsALookKnowsAreMatchedByCookieEvenWithAWrongTuple()
    {
        var tracker = new SocketChangeTracker();
        var listener = Entry(KernelStates.Listen, 80, 0, 11, 100, cookie: 3);
        Start(tracker, new[] { listener }, Now, false);
        SocketChange closed = Assert.Single(Look(tracker, Array.Empty<SocketEntry>(), Now.AddSeconds(1), new[] { Entry(KernelStates.Close, 80, 0, 0, null, cookie: 3) }));
        Assert.Equal(SocketState.Listen, closed.PreviousState);
        Assert.Empty(Look(tracker, Array.Empty<SocketEntry>(), Now.AddSeconds(2)));
    }

    [Fact]
    public void DestroyedSocketsThePreviousSnapshotHeldAreLeftToPolling()
    {
        var tracker = new SocketChangeTracker();
        var known = Entry(KernelStates.Established, 80, 5000, 12, 100);
        Start(tracker, new[] { known }, Now, false);
        List<SocketChange> changes = Look(tracker, Array.Empty<SocketEntry>(), Now, new[] { Entry(KernelStates.Close, 80, 5000, 0, null) });
        SocketChange change = Assert.Single(changes);
        Assert.Equal(SocketState.Established, change.PreviousState);
        Assert.Equal(100, change.ProcessId);
    }

    [Fact]
    public void TheDiffDoesNotDependOnTheOrderTheTableListsSocketsIn()
    {
        // Looks compare row by row with the previous look's order first; shuffled, shifted, shrunk and grown
        // tables must still give exactly the changes a plain set comparison gives.
        var random = new Random(7);
        var sockets = Enumerable.Range(0, 200).Select(i => Entry(KernelStates.Established, 80, (ushort)(10000 + i), (ulong)(1000 + i), 100)).ToList();
        var tracker = new SocketChangeTracker();
        var shown = sockets.Take(120).ToList();
        Start(tracker, shown.ToArray(), Now, false);
        for (int look = 0; look < 40; look++)
        {
            var next = new List<SocketEntry>(shown);
            int drop = random.Next(0, 6);
            for (int i = 0; i < drop && next.Count > 0; i++)
            {
                next.RemoveAt(random.Next(next.Count));
            }

            foreach (SocketEntry candidate in sockets.Where(e => !next.Contains(e)).OrderBy(_ => random.Next()).Take(random.Next(0, 6)))
            {
                next.Insert(random.Next(next.Count + 1), candidate);
            }

            if (look % 5 == 4)
            {
                next = next.OrderBy(_ => random.Next()).ToList(); // a look in a different order altogether
            }

            List<SocketChange> changes = Look(tracker, next.ToArray(), Now);

            var opened = next.Except(shown).Select(e => e.RemotePort).OrderBy(p => p).ToList();
            var closed = shown.Except(next).Select(e => e.RemotePort).OrderBy(p => p).ToList();
            Assert.Equal(opened, changes.Where(c => c.ChangeType == ChangeType.Opened).Select(c => c.Entry.RemotePort).OrderBy(p => p).ToList());
            Assert.Equal(closed, changes.Where(c => c.ChangeType == ChangeType.Closed).Select(c => c.Entry.RemotePort).OrderBy(p => p).ToList());
            Assert.DoesNotContain(changes, c => c.ChangeType == ChangeType.Changed);
            shown = next;
        }
    }

    [Fact]
    public void AStateChangeIsFoundWhereverTheRowMoved()
    {
        var tracker = new SocketChangeTracker();
        var a = Entry(KernelStates.Established, 80, 5000, 21, 100);
        var b = Entry(KernelStates.Established, 80, 5001, 22, 100);
        var c = Entry(KernelStates.Established, 80, 5002, 23, 100);
        Start(tracker, new[] { a, b, c }, Now, false);

        var bClosing = Entry(KernelStates.CloseWait, 80, 5001, 22, 100);
        List<SocketChange> changes = Look(tracker, new[] { bClosing, c, a }, Now);

        SocketChange change = Assert.Single(changes);
        Assert.Equal(ChangeType.Changed, change.ChangeType);
        Assert.Equal(5001, change.Entry.RemotePort);
        Assert.Equal(SocketState.CloseWait, change.State);
        Assert.Empty(Look(tracker, new[] { a, c, bClosing }, Now));
    }

    [Fact]
    public void ALookWhoseOwnerLookupFailsLosesNoChangeTheNextLookFinds()
    {
        // Watch-SockState reports a failed look as an error and compares the next good look with the last good one:
        // a state change or a new socket seen by the failed look must still be reported by the next one.
        var tracker = new SocketChangeTracker();
        var listener = Entry(KernelStates.Listen, 80, 0, 11, 100);
        var established = Entry(KernelStates.Established, 80, 5000, 12, 100, cookie: 7);
        Start(tracker, new[] { listener, established }, Now, false);

        var closing = Entry(KernelStates.CloseWait, 80, 5000, 12, 100, cookie: 7);
        var first = Entry(KernelStates.Established, 80, 5001, 13, 100, cookie: 8);
        var second = Entry(KernelStates.Established, 80, 5002, 14, 100, cookie: 9);
        SocketEntry[] now = { listener, closing, first, second };
        IEnumerable<SocketEntry> FailingAfterOne(List<SocketRecord> fresh)
        {
            yield return OwnersFrom(now)(fresh).First();
            throw new InvalidOperationException("the owner lookup failed half-way");
        }

        Assert.Throws<InvalidOperationException>(() => tracker.Update(Rows(now), FailingAfterOne, Now));
        List<SocketChange> changes = Look(tracker, now, Now);

        Assert.Equal(
            new (ChangeType, int?)[] { (ChangeType.Changed, 5000), (ChangeType.Opened, 5001), (ChangeType.Opened, 5002) },
            changes.Select(c => (c.ChangeType, c.Entry.RemotePort)).ToArray());
        Assert.Equal(SocketState.Established, changes[0].PreviousState);
        Assert.Empty(Look(tracker, now, Now));
    }
}
