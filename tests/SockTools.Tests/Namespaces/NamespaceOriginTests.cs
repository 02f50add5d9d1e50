using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SockTools.Completers;
using SockTools.Probe;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests.Namespaces;

/// <summary>Test-SockPort connecting from a network namespace: where its sockets are made, and what it says.</summary>
public class NamespaceOriginTests
{
    private static SocketEntry Listener(NamespaceTag? where)
    {
        var row = new SocketRecord
        {
            Protocol = SocketProtocol.Tcp,
            State = SocketState.Listen,
            LocalAddress = AddressValue.FromIPAddress(IPAddress.Loopback),
            LocalPort = 8080,
            RemoteAddress = AddressValue.FromIPAddress(IPAddress.Any),
            Inode = 1,
            Namespace = where,
        };
        return SocketEntry.Of(row, "127.0.0.1", "0.0.0.0", EntryOwner.None, null);
    }

    [Fact]
    public async Task EachSocketOfATestFromANamespaceIsMadeOnTheThreadInsideIt()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var thread = new NamespaceThread();
        var blue = new FakeNamespace("blue", 2);
        var origin = new ConnectOrigin(blue, thread);

        ConnectOutcome outcome = await ConnectAttempt.RunAsync(new IPEndPoint(IPAddress.Loopback, port), CancellationToken.None, origin);
        Assert.True(outcome.Succeeded);
        Thread maker = Assert.Single(blue.EnteredBy);
        Assert.NotSame(Thread.CurrentThread, maker);
        Assert.False(maker.IsThreadPoolThread);
    }

    [Fact]
    public async Task ANamespaceThatCannotBeEnteredAnyMoreFailsTheAttemptWithoutSendingAnything()
    {
        using var thread = new NamespaceThread();
        var gone = new FakeNamespace("gone", 3, refusal: new SocketTableException("NetworkNamespaceAccessDenied", System.Management.Automation.ErrorCategory.PermissionDenied, "no", "root"));
        ConnectOutcome outcome = await ConnectAttempt.RunAsync(new IPEndPoint(IPAddress.Loopback, 9), CancellationToken.None, new ConnectOrigin(gone, thread));
        Assert.False(outcome.Succeeded);
        Assert.Equal(SocketError.AccessDenied, outcome.Error);
        Assert.Null(outcome.Latency);
    }

    [Fact]
    public void TargetsCarryTheirOriginIntoTheirResultsAndWords()
    {
        using var thread = new NamespaceThread();
        var origin = new ConnectOrigin(new FakeNamespace("blue", 2), thread);
        ProbeTarget target = SocketEntryTarget.From(Listener(new NamespaceTag("blue", 2)), out _, origin)!;
        Assert.Same(origin, target.Origin);
        Assert.Equal("127.0.0.1:8080", target.Endpoint);
        Assert.Equal(" from network namespace blue", target.FromWhere);
        Assert.Contains("connecting from network namespace blue through the general path", ConnectPath.Describe(target, new ProbeOptions { Wait = true }));

        var missing = new System.Collections.Generic.List<TargetName>();
        Assert.True(TargetNameParser.TryParse("db01", out TargetName? name, out _));
        Assert.All(TargetExpansion.Expand(new[] { name! }, new[] { 5432, 5433 }, missing, origin), t => Assert.Same(origin, t.Origin));

        PortTestResult result = TargetTry.ResultOf(target, ConnectOutcome.Failed(IPAddress.Loopback, SocketError.ConnectionRefused, 0.2), System.TimeSpan.FromSeconds(1));
        Assert.Equal("blue", result.NetworkNamespace);
        Assert.Equal("blue", result.WithAttempts(3).NetworkNamespace);
        Assert.Null(TargetTry.ResultOf(new ProbeTarget("127.0.0.1", IPAddress.Loopback, 80), ConnectOutcome.Failed(IPAddress.Loopback, SocketError.ConnectionRefused, 0.2), System.TimeSpan.FromSeconds(1)).NetworkNamespace);
    }

    [Fact]
    public void CompletionOffersEachNameAsOneSafeToken()
    {
        var names = new System.Collections.Generic.List<string> { "blue", "blue-2", "it's", "a b", "new\nline", "red" };
        var offered = NetworkNamespaceCompleter.Complete(new TypedWord("b"), names).ToList();
        Assert.Equal(new[] { "blue", "blue-2" }, offered.Select(c => c.CompletionText));
        var odd = NetworkNamespaceCompleter.Complete(new TypedWord(""), names).ToList();
        Assert.Equal(new[] { "blue", "blue-2", "'it''s'", "'a b'", "red" }, odd.Select(c => c.CompletionText));
        Assert.DoesNotContain(odd, c => c.ListItemText.Contains('\n'));
    }
}
