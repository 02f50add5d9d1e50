using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using SockTools.Probe;
using SockTools.Table;
using SockTools.Table.Linux;
using SockTools.Watch;
using Xunit;

namespace SockTools.Tests.Namespaces;

/// <summary>
/// What namespaces add to the parts lead grew beside them: cookies keyed by namespace in the watch's one cookie set,
/// scopes borrowed by Test-SockPort's explainer and Close-SockConnection, work run inside a scope of one
/// (Get-SockSummary, Get-SockPortUsage), and the closers per namespace.
/// </summary>
public class NamespaceMergeTests
{
    private static readonly NamespaceTag Blue = new("blue", 4026532281);
    private static readonly NamespaceTag Red = new("net:[4026532999]", 4026532999);

    private static SocketEntry Entry(ulong? cookie, NamespaceTag? where, SocketState state = SocketState.Established, int remotePort = 5000)
    {
        var row = new SocketRecord
        {
            Protocol = SocketProtocol.Tcp,
            State = state,
            LocalAddress = AddressValue.FromIPAddress(IPAddress.Loopback),
            LocalPort = 80,
            RemoteAddress = AddressValue.FromIPAddress(IPAddress.Loopback),
            RemotePort = (ushort)remotePort,
            Inode = 7,
            Cookie = cookie ?? 0,
            Namespace = where,
        };
        return SocketEntry.Of(row, "127.0.0.1", "127.0.0.1", EntryOwner.None, null);
    }

    [Fact]
    public void ACookieIsOneSocketOnlyWithinItsNamespace()
    {
        SocketCookie? blue = SocketCookie.Of(Entry(9, Blue));
        Assert.NotNull(blue);
        Assert.Equal(blue, SocketCookie.Of(Entry(9, Blue)));
        Assert.Equal(blue!.Value.GetHashCode(), SocketCookie.Of(Entry(9, Blue))!.Value.GetHashCode());
        Assert.NotEqual(blue, SocketCookie.Of(Entry(9, Red)));
        Assert.NotEqual(blue, SocketCookie.Of(Entry(9, null)));
        Assert.NotEqual(blue, SocketCookie.Of(Entry(10, Blue)));
        Assert.Equal("cookie 9 in net:[4026532281]", blue.Value.ToString());
        Assert.Equal("cookie 9", SocketCookie.Of(Entry(9, null))!.Value.ToString());
    }

    [Fact]
    public void AnEntryWithoutACookieHasNoSocketCookie()
    {
        Assert.Null(SocketCookie.Of(null));
        var proc = SocketEntry.Of(
            new SocketRecord { Protocol = SocketProtocol.Tcp, State = SocketState.Listen, LocalAddress = AddressValue.FromIPAddress(IPAddress.Loopback), LocalPort = 80, RemoteAddress = AddressValue.FromIPAddress(IPAddress.Any) },
            "127.0.0.1", "0.0.0.0", EntryOwner.None, null);
        Assert.Null(proc.Cookie);
        Assert.Null(SocketCookie.Of(proc));
    }

    [Fact]
    public void TheTrackerKnowsACookieInTheNamespaceItWasSeenIn()
    {
        var tracker = new SocketChangeTracker();
        SocketEntry live = Entry(9, Blue);
        tracker.Start(Rows(live), _ => new[] { live }, DateTime.Now, reportExisting: false);
        Assert.True(tracker.Knows(SocketCookie.Of(live)!.Value));
        Assert.False(tracker.Knows(SocketCookie.Of(Entry(9, Red))!.Value));
        Assert.False(tracker.Knows(SocketCookie.Of(Entry(9, null))!.Value));

        // A destroy event for the socket the looks know, in its namespace, is no news: the looks report it.
        List<SocketChange> changes = tracker.Update(new List<SocketRecord>(), _ => Array.Empty<SocketEntry>(), DateTime.Now, new[] { live });
        SocketChange closed = Assert.Single(changes);
        Assert.Equal(ChangeType.Closed, closed.ChangeType);
        Assert.Equal(SocketState.Established, closed.PreviousState);
        Assert.Empty(tracker.Update(new List<SocketRecord>(), _ => Array.Empty<SocketEntry>(), DateTime.Now));
        Assert.False(tracker.Knows(SocketCookie.Of(live)!.Value), "a socket gone from both looks is forgotten");
    }

    [Fact]
    public void AScopeOfOneRunsWorkInsideItsNamespaceOnTheThreadAndABorrowedOneClosesNothing()
    {
        using var thread = new NamespaceThread();
        var blue = new FakeNamespace("blue", 2);
        NamespaceScope borrowed = NamespaceScope.Borrow(blue, thread);
        Thread ran = borrowed.Inside(() => Thread.CurrentThread);
        Assert.Same(ran, Assert.Single(blue.EnteredBy));
        Assert.NotSame(Thread.CurrentThread, ran);
        Assert.Equal("blue", borrowed.Label);
        Assert.False(borrowed.IsEveryNamespace);
        borrowed.Dispose();
        Assert.False(blue.Disposed, "the namespace belongs to whoever opened it");
        Assert.Equal(2, thread.Run(blue, () => 2)); // nor is the thread ended
    }

    [Fact]
    public void WorkForPowerShellsOwnNamespaceRunsOnTheCallersThread()
    {
        using var thread = new NamespaceThread();
        var own = new FakeNamespace("net:[1]", 1, isOwn: true);
        Assert.Same(Thread.CurrentThread, NamespaceScope.Borrow(own, thread).Inside(() => Thread.CurrentThread));
        Assert.Empty(own.EnteredBy);
    }

    [Fact]
    public void TheKernelsFiguresReadThroughThreadSelfAreThoseOfTheReadingThreadsNamespace()
    {
        if (!File.Exists("/proc/thread-self/net/snmp"))
        {
            return; // not Linux: nothing to read
        }

        var here = new KernelStatistics();
        var threadSelf = new KernelStatistics(KernelStatistics.ThreadNetDirectory);
        Assert.Equal(here.ReadCounters().Keys.OrderBy(k => k), threadSelf.ReadCounters().Keys.OrderBy(k => k));
        Assert.Empty(threadSelf.Failures);
        Assert.Equal(here.ReadSocketStats().Select(s => s.Protocol), threadSelf.ReadSocketStats().Select(s => s.Protocol));
    }

    [Fact]
    public void ASocketIsNotClosedInANamespaceThatIsNoLongerTheOneItWasReadIn()
    {
        if (!File.Exists("/proc/self/ns/net"))
        {
            return; // not Linux
        }

        // The label names PowerShell's own namespace now, but the socket was read in another one (another inode).
        string own = new FileInfo("/proc/self/ns/net").LinkTarget!;
        Assert.True(NamespaceLink.TryParseNetwork(own, out ulong inode));
        using var closers = new NamespaceClosers();
        var error = Assert.Throws<SocketTableException>(() => closers.CloserFor(new NamespaceTag(own, inode + 1)));
        Assert.Equal("NetworkNamespaceChanged", error.ErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, error.Category);
        Assert.Equal(own, error.Target);
        Assert.Contains($"net:[{inode + 1}] then, net:[{inode}] now", error.Message);
    }

    [Fact]
    public void ASocketReadInPowerShellsOwnNamespaceUnderItsLabelIsClosedFromHere()
    {
        if (!File.Exists("/proc/self/ns/net"))
        {
            return;
        }

        string own = new FileInfo("/proc/self/ns/net").LinkTarget!;
        Assert.True(NamespaceLink.TryParseNetwork(own, out ulong inode));
        using var closers = new NamespaceClosers();
        ISocketCloser closer = closers.CloserFor(new NamespaceTag(own, inode));
        Assert.Same(closer, closers.CloserFor(new NamespaceTag(own, inode)));
        Assert.Null(closers.ScopeFor(null));
        Assert.NotNull(closers.ScopeFor(new NamespaceTag(own, inode)));
    }

    [Fact]
    public void AFailureFromANamespaceIsExplainedInItsWords()
    {
        (PortDiagnosis diagnosis, string explanation) = PortDiagnostician.Diagnose(IPAddress.Loopback, 7778, PortStatus.Refused, Array.Empty<SocketEntry>(), "network namespace blue")!.Value;
        Assert.Equal(PortDiagnosis.NotListening, diagnosis);
        Assert.StartsWith("Nothing listens on port 7778, on any address of network namespace blue.", explanation);
        Assert.Contains("of this host.", PortDiagnostician.Diagnose(IPAddress.Loopback, 7778, PortStatus.Refused, Array.Empty<SocketEntry>())!.Value.Explanation);
    }

    [Fact]
    public void TheExplainerAsksOnlyForResultsItWantsAndKeepsEachNamespaceApart()
    {
        using var thread = new NamespaceThread();
        var blue = new FakeNamespace("blue", 2);
        var origin = new ConnectOrigin(blue, thread);
        var explainer = new ResultExplainer();
        var open = new PortTestResult("127.0.0.1", "127.0.0.1", 80, PortStatus.Open, 0.1, null, null, 1, null, networkNamespace: "blue");
        Assert.False(explainer.Wants(open, origin));
        var refused = new PortTestResult("127.0.0.1", "127.0.0.1", 80, PortStatus.Refused, 0.1, null, null, 1, "refused", networkNamespace: "blue");
        Assert.True(explainer.Wants(refused, origin), "loopback is the namespace's own");
        var elsewhere = new PortTestResult("192.0.2.1", "192.0.2.1", 80, PortStatus.Refused, 0.1, null, null, 1, "refused", networkNamespace: "blue");
        Assert.False(explainer.Wants(elsewhere, origin));
        Assert.Contains(blue.EnteredBy, t => t != Thread.CurrentThread); // its interfaces were listed inside
        var results = new[] { open };
        Assert.Same(results, explainer.Explain(results, origin, _ => throw new Xunit.Sdk.XunitException("the table must not be read")));
    }

    [Fact]
    public void ARowKeepsItsNamespaceAsANumberThatNamespacesOpenedAgainShare()
    {
        // A watch of every namespace opens each one anew at every look: the same label and inode keep one number.
        var first = new NamespaceTag("stns-number-test", 77);
        var again = new NamespaceTag("stns-number-test", 77);
        var other = new NamespaceTag("stns-number-test", 78);
        Assert.Equal(first.Number, again.Number);
        Assert.NotEqual(first.Number, other.Number);
        Assert.NotEqual(0, first.Number);
        Assert.Null(NamespaceTag.At(0));
        Assert.Same(first, NamespaceTag.At(again.Number));

        var row = new SocketRecord { Namespace = again };
        Assert.Equal(first.Number, row.NamespaceNumber);
        Assert.Equal("stns-number-test", row.Namespace!.Label);
        Assert.Equal(77UL, row.Namespace.Inode);
        row.Namespace = null;
        Assert.Equal(0, row.NamespaceNumber);
        Assert.Null(row.Namespace);
    }

    [Fact]
    public void ANamespaceCostsARowNoBytes()
    {
        var withTag = new SocketRecord { Namespace = new NamespaceTag("stns-size-test", 79) };
        Assert.Equal(new NamespaceTag("stns-size-test", 79).Number, withTag.NamespaceNumber);
        Assert.True(System.Runtime.CompilerServices.Unsafe.SizeOf<SocketRecord>() <= 152, "rows were 152 bytes before namespaces (136, and the Memory and Unix references); the number fits their padding");
    }

    private static List<SocketRecord> Rows(params SocketEntry[] entries)
        => entries.Select(e => new SocketRecord
        {
            Protocol = e.Protocol,
            State = e.State,
            LocalAddress = e.LocalValue,
            LocalPort = (ushort)(e.LocalPort ?? 0),
            RemoteAddress = e.RemoteValue,
            RemotePort = (ushort)(e.RemotePort ?? 0),
            Inode = (ulong)(e.Inode ?? 0),
            Cookie = e.Cookie ?? 0,
            Namespace = e.Namespace,
        }).ToList();
}
