using System.Collections.Generic;
using System.Linq;
using System.Net;
using SockTools.Graph;
using Xunit;

namespace SockTools.Tests;

/// <summary>The map behind ConvertTo-SockGraph, on hand-made sockets.</summary>
public class SocketGraphTests
{
    private static AddressValue A(string text) => AddressValue.FromIPAddress(IPAddress.Parse(text));

    private static GraphSocket Tcp(string local, int localPort, string remote, int remotePort, int? pid, string? name, SocketState state = SocketState.Established, string? host = null, SocketProtocol protocol = SocketProtocol.Tcp)
        => new(host, protocol, state, A(local), localPort, A(remote), remotePort, pid, name);

    private static GraphSocket Listener(string local, int port, int pid, string name, string? host = null)
        => new(host, SocketProtocol.Tcp, SocketState.Listen, A(local), port, A("0.0.0.0"), 0, pid, name);

    private static SocketGraph Build(IEnumerable<GraphSocket> sockets, GraphOptions? options = null)
        => new SocketGraphBuilder(options ?? new GraphOptions()).Build(sockets.ToList());

    /// <summary>Edges as "from -> to : label" with node names and first pids, in the graph's order.</summary>
    private static string[] Edges(SocketGraph graph)
        => graph.Edges.Select(e => $"{Name(e.From)} -> {Name(e.To)} : {e.Text}").ToArray();

    private static string Name(GraphNode node) => node.ProcessIds.Count > 0 ? $"{node.Name}({string.Join(",", node.ProcessIds)})" : node.Name;

    [Fact]
    public void BothEndsOfALocalConnectionAreOneEdgeFromClientToTheListeningServer()
    {
        var graph = Build(new[]
        {
            Tcp("127.0.0.1", 8000, "127.0.0.1", 40001, 20, "server"),
            Tcp("127.0.0.1", 40001, "127.0.0.1", 8000, 10, "client"),
            Listener("127.0.0.1", 8000, 20, "server"),
        });

        Assert.Equal(new[] { "client(10) -> server(20) : 8000" }, Edges(graph));
        Assert.Equal(2, graph.Nodes.Count);
        GraphNode server = graph.Nodes.Single(n => n.Name == "server");
        Assert.True(server.IsListener);
        Assert.Equal(new[] { "8000" }, server.Listens);
        Assert.False(graph.Nodes.Single(n => n.Name == "client").IsListener);
    }

    [Fact]
    public void ListenersKnownOnlyFromTheTableDecideTheServerEvenWhenBothPortsAreEphemeral()
    {
        // Both ports in the ephemeral range, the server's the higher one: only the listener set can tell.
        var options = new GraphOptions();
        options.Listening.Add(null, SocketProtocol.Tcp, A("0.0.0.0"), 45000);
        var graph = Build(new[]
        {
            Tcp("127.0.0.1", 41000, "127.0.0.1", 45000, 10, "client"),
            Tcp("127.0.0.1", 45000, "127.0.0.1", 41000, 20, "server"),
        }, options);

        Assert.Equal(new[] { "client(10) -> server(20) : 45000" }, Edges(graph));
        Assert.True(graph.Nodes.Single(n => n.Name == "server").IsListener);
    }

    [Fact]
    public void WithoutListenersTheEphemeralEndIsTheClientThenTheHigherPort()
    {
        var graph = Build(new[]
        {
            // 5432 is outside the ephemeral range, 33000 inside: 33000 is the client even though it is listed first.
            Tcp("127.0.0.1", 33000, "127.0.0.1", 5432, 10, "psql"),
            Tcp("127.0.0.1", 5432, "127.0.0.1", 33000, 20, "postgres"),
            // both outside the range: the lower port serves.
            Tcp("127.0.0.1", 2000, "127.0.0.1", 1500, 30, "a"),
            Tcp("127.0.0.1", 1500, "127.0.0.1", 2000, 40, "b"),
        });

        Assert.Equal(new[] { "a(30) -> b(40) : 1500", "psql(10) -> postgres(20) : 5432" }, Edges(graph));
        Assert.All(graph.Nodes, n => Assert.False(n.IsListener)); // a guess marks no listener
    }

    [Fact]
    public void ManyConnectionsBetweenTheSameNodesOnOnePortAreOneEdgeWithACount()
    {
        var sockets = new List<GraphSocket> { Listener("0.0.0.0", 8000, 20, "server") };
        foreach (int port in new[] { 40001, 40002, 40003 })
        {
            sockets.Add(Tcp("127.0.0.1", port, "127.0.0.1", 8000, 10, "client"));
            sockets.Add(Tcp("127.0.0.1", 8000, "127.0.0.1", port, 20, "server"));
        }

        var graph = Build(sockets);
        Assert.Equal(new[] { "client(10) -> server(20) : 8000 x3" }, Edges(graph));
        Assert.Equal(3, graph.Edges[0].Count);
    }

    [Fact]
    public void RemotePeersAreHostNodesAndTheDirectionFollowsTheListener()
    {
        var graph = Build(new[]
        {
            Listener("0.0.0.0", 22, 1, "sshd"),
            Tcp("10.0.0.5", 22, "192.0.2.7", 51000, 1, "sshd"),               // incoming: remote -> sshd
            Tcp("10.0.0.5", 41000, "198.51.100.1", 443, 50, "curl"),           // outgoing: curl -> remote
            Tcp("10.0.0.5", 41001, "198.51.100.1", 443, 50, "curl"),
        });

        Assert.Equal(new[] { "curl(50) -> 198.51.100.1 : 443 x2", "192.0.2.7 -> sshd(1) : 22" }, Edges(graph));
        Assert.Equal(new[] { GraphNodeKind.Process, GraphNodeKind.Process, GraphNodeKind.RemoteHost, GraphNodeKind.RemoteHost }, graph.Nodes.Select(n => n.Kind));
        Assert.Equal(new[] { "n1", "n2", "n3", "n4" }, graph.Nodes.Select(n => n.Id));
    }

    [Fact]
    public void SocketsWithoutOwnerAndLoopbackPeersOutsideTheInputAreTheUnknownProcess()
    {
        var graph = Build(new[]
        {
            Tcp("127.0.0.1", 40001, "127.0.0.1", 8000, null, null, SocketState.TimeWait), // no owner, no mirror
            Tcp("127.0.0.1", 40002, "127.0.0.1", 9000, 10, "client"),                     // peer filtered out
        });

        Assert.Equal(new[] { "client(10) -> unknown process : 9000", "unknown process -> unknown process : 8000" }, Edges(graph));
        Assert.Single(graph.Nodes, n => n.Kind == GraphNodeKind.UnknownProcess);
    }

    [Fact]
    public void AnUnknownProcessPerComputerAndTheComputerInLabelsWhenThereAreSeveral()
    {
        var graph = Build(new[]
        {
            Tcp("10.0.0.1", 40001, "10.0.0.9", 5432, null, null, host: "web1"),
            Tcp("10.0.0.2", 40001, "10.0.0.9", 5432, null, null, host: "web2"),
        });

        GraphNode[] unknown = graph.Nodes.Where(n => n.Kind == GraphNodeKind.UnknownProcess).ToArray();
        Assert.Equal(new[] { "web1", "web2" }, unknown.Select(n => n.Host));
        Assert.True(graph.ShowHosts);
        Assert.Contains("on web1", GraphLabels.Lines(unknown[0], graph));
        Assert.Single(graph.Nodes, n => n.Kind == GraphNodeKind.RemoteHost); // one 10.0.0.9 for both
    }

    [Fact]
    public void MirroredTuplesOfDifferentComputersAreNotJoined()
    {
        var graph = Build(new[]
        {
            Tcp("10.0.0.1", 40001, "10.0.0.2", 5432, 10, "app", host: "a"),
            Tcp("10.0.0.2", 5432, "10.0.0.1", 40001, 20, "postgres", host: "b"),
        });

        Assert.Equal(2, graph.Edges.Count);
        Assert.Equal(2, graph.Nodes.Count(n => n.Kind == GraphNodeKind.RemoteHost));
    }

    [Fact]
    public void GroupByProcessNameMakesOneNodePerNameWithItsPids()
    {
        var sockets = new List<GraphSocket> { Listener("0.0.0.0", 80, 700, "nginx") };
        int client = 40000;
        foreach (int worker in new[] { 701, 702 })
        {
            client++;
            sockets.Add(Tcp("127.0.0.1", 80, "127.0.0.1", client, worker, "nginx"));
            sockets.Add(Tcp("127.0.0.1", client, "127.0.0.1", 80, 900, "curl"));
        }

        var byPid = Build(sockets);
        Assert.Equal(new[] { "curl(900) -> nginx(701) : 80", "curl(900) -> nginx(702) : 80" }, Edges(byPid));

        var byName = Build(sockets, new GraphOptions { GroupByProcessName = true });
        Assert.Equal(new[] { "curl(900) -> nginx(700,701,702) : 80 x2" }, Edges(byName));
        Assert.Contains("pids 700, 701, 702", GraphLabels.Lines(byName.Nodes.Single(n => n.Name == "nginx"), byName));
    }

    [Fact]
    public void ExcludeLoopbackAndExcludeRemoteLeaveOutTheirPeers()
    {
        GraphSocket[] sockets =
        {
            Tcp("127.0.0.1", 40001, "127.0.0.1", 8000, 10, "client"),
            Tcp("127.0.0.1", 8000, "127.0.0.1", 40001, 20, "server"),
            Tcp("10.0.0.5", 40002, "198.51.100.1", 443, 10, "client"),
        };

        Assert.Equal(new[] { "client(10) -> 198.51.100.1 : 443" }, Edges(Build(sockets, new GraphOptions { ExcludeLoopback = true })));
        Assert.Equal(new[] { "client(10) -> server(20) : 8000" }, Edges(Build(sockets, new GraphOptions { ExcludeRemote = true })));
    }

    [Fact]
    public void DualStackEndsMatchTheirIPv4Peers()
    {
        // A client on a dual-stack IPv6 socket sees its IPv4 server as ::ffff:127.0.0.1.
        var graph = Build(new[]
        {
            Tcp("::ffff:127.0.0.1", 40001, "::ffff:127.0.0.1", 8000, 10, "client"),
            Tcp("127.0.0.1", 8000, "127.0.0.1", 40001, 20, "server"),
        });

        Assert.Equal(new[] { "client(10) -> server(20) : 8000" }, Edges(graph));
    }

    [Fact]
    public void UdpPortsNameTheirProtocol()
    {
        var graph = Build(new[]
        {
            new GraphSocket(null, SocketProtocol.Udp, SocketState.Unconnected, A("127.0.0.53"), 53, A("0.0.0.0"), 0, 5, "resolved"),
            Tcp("127.0.0.1", 41000, "127.0.0.53", 53, 10, "app", protocol: SocketProtocol.Udp),
        });

        Assert.Equal(new[] { "app(10) -> unknown process : udp 53" }, Edges(graph));
        Assert.Equal(new[] { "udp 53" }, graph.Nodes.Single(n => n.Name == "resolved").Listens);
    }

    [Fact]
    public void TheSameInputInAnotherOrderGivesTheSameText()
    {
        GraphSocket[] sockets =
        {
            Listener("0.0.0.0", 8000, 20, "server"),
            Tcp("127.0.0.1", 8000, "127.0.0.1", 40001, 20, "server"),
            Tcp("127.0.0.1", 40001, "127.0.0.1", 8000, 10, "client"),
            Tcp("10.0.0.5", 40002, "198.51.100.1", 443, 10, "client"),
        };

        string forward = string.Join("\n", MermaidWriter.Write(Build(sockets)));
        string backward = string.Join("\n", MermaidWriter.Write(Build(sockets.Reverse())));
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void MermaidQuotesEveryLabelAndWritesSyntaxCharactersAsEntities()
    {
        var graph = Build(new[]
        {
            Tcp("127.0.0.1", 40001, "127.0.0.1", 8000, 10, "my \"app\" [x] <y> #1 & `z`"),
            Tcp("127.0.0.1", 8000, "127.0.0.1", 40001, 20, "srv|{a}"),
        });

        string[] lines = MermaidWriter.Write(graph).ToArray();
        Assert.Equal("```mermaid", lines[0]);
        Assert.Equal("flowchart LR", lines[1]);
        Assert.Equal("```", lines[^1]);
        Assert.Contains("    n1[\"my #quot;app#quot; [x] #lt;y#gt; #35;1 #amp; #96;z#96;<br/>pid 10\"]", lines);
        Assert.Contains("    n2[\"srv|{a}<br/>pid 20\"]", lines);
        Assert.Contains("    n1 -->|\"8000\"| n2", lines);
    }

    [Fact]
    public void MermaidShapesListenersRemoteHostsAndUnknownProcesses()
    {
        var graph = Build(new[]
        {
            Listener("0.0.0.0", 22, 1, "sshd"),
            Tcp("10.0.0.5", 22, "192.0.2.7", 51000, 1, "sshd"),
            Tcp("10.0.0.5", 40000, "192.0.2.8", 80, null, null, SocketState.TimeWait),
        });

        string[] lines = MermaidWriter.Write(graph).ToArray();
        Assert.Contains("    n1([\"sshd<br/>pid 1<br/>listens 22\"])", lines);
        Assert.Contains("    n2[\"unknown process\"]", lines);
        Assert.Contains("    n3{{\"192.0.2.7\"}}", lines);
        Assert.Contains("    class n1 listener", lines);
        Assert.Contains("    class n2 unknown", lines);
        Assert.Contains("    class n3,n4 remote", lines);
    }

    [Fact]
    public void DotEscapesBackslashAndQuoteAndDrawsKindsApart()
    {
        var graph = Build(new[]
        {
            Listener("0.0.0.0", 22, 1, "a\\b \"c\"\nd"),
            Tcp("10.0.0.5", 22, "192.0.2.7", 51000, 1, "a\\b \"c\"\nd"),
        });

        string[] lines = DotWriter.Write(graph).ToArray();
        Assert.Equal("digraph SockTools {", lines[0]);
        Assert.Equal("}", lines[^1]);
        Assert.Contains("    n1 [label=\"a\\\\b \\\"c\\\" d\\npid 1\\nlistens 22\", peripheries=2];", lines);
        Assert.Contains("    n2 [label=\"192.0.2.7\", shape=ellipse];", lines);
        Assert.Contains("    n2 -> n1 [label=\"22\"];", lines);
    }
}
