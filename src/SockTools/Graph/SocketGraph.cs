using System.Collections.Generic;

namespace SockTools.Graph
{
    /// <summary>What a node of the map stands for.</summary>
    internal enum GraphNodeKind
    {
        /// <summary>A process (or, grouped by name, every process of one name) on a computer.</summary>
        Process,
        /// <summary>The sockets of a computer whose owner is not known (TIME_WAIT, another user's without root).</summary>
        UnknownProcess,
        /// <summary>A peer address that is not this computer.</summary>
        RemoteHost,
    }

    /// <summary>One node: a process, the unknown process of a computer, or a remote host.</summary>
    internal sealed class GraphNode
    {
        internal GraphNode(string key, GraphNodeKind kind, string? host, string name)
        {
            Key = key;
            Kind = kind;
            Host = host;
            Name = name;
        }

        /// <summary>What makes it one node (kind, computer, pid or name or address); the writers never show it.</summary>
        internal string Key { get; }

        internal GraphNodeKind Kind { get; }

        /// <summary>The computer of a process node; null for this one and for remote hosts.</summary>
        internal string? Host { get; }

        /// <summary>Process name, "unknown process", or the remote address.</summary>
        internal string Name { get; }

        /// <summary>Process ids behind it: one, or several when grouped by name.</summary>
        internal SortedSet<int> ProcessIds { get; } = new SortedSet<int>();

        /// <summary>What it listens on, as edge labels say it ("8000", "udp 53").</summary>
        internal SortedSet<string> Listens { get; } = new SortedSet<string>(new PortLabelOrder());

        /// <summary>Set by the graph once every node is known: n1, n2, ... in the graph's order.</summary>
        internal string Id { get; set; } = string.Empty;

        internal bool IsListener => Listens.Count > 0;
    }

    /// <summary>Connections from one node to another on one protocol and server port: client to server.</summary>
    internal sealed class GraphEdge
    {
        internal GraphEdge(GraphNode from, GraphNode to, string label)
        {
            From = from;
            To = to;
            Label = label;
        }

        /// <summary>The client end (its port was the ephemeral one).</summary>
        internal GraphNode From { get; }

        /// <summary>The server end (its port is the one connected to).</summary>
        internal GraphNode To { get; }

        /// <summary>The server port ("8000", "udp 53"), or for UNIX sockets the path.</summary>
        internal string Label { get; }

        /// <summary>How many connections it stands for.</summary>
        internal int Count { get; set; }

        /// <summary>The label with the count when there is more than one: "8000 x3".</summary>
        internal string Text => Count > 1 ? $"{Label} x{Count}" : Label;
    }

    /// <summary>The map: nodes and edges in a stable order (the same input gives the same text).</summary>
    internal sealed class SocketGraph
    {
        internal SocketGraph(IReadOnlyList<GraphNode> nodes, IReadOnlyList<GraphEdge> edges, bool showHosts)
        {
            Nodes = nodes;
            Edges = edges;
            ShowHosts = showHosts;
        }

        internal IReadOnlyList<GraphNode> Nodes { get; }

        internal IReadOnlyList<GraphEdge> Edges { get; }

        /// <summary>The input came from several computers: process labels name theirs.</summary>
        internal bool ShowHosts { get; }
    }

    /// <summary>Port labels by number ("22" before "8000"), protocol names after.</summary>
    internal sealed class PortLabelOrder : IComparer<string>
    {
        public int Compare(string? x, string? y)
        {
            int px = PortOf(x), py = PortOf(y);
            return px != py ? px.CompareTo(py) : string.CompareOrdinal(x, y);
        }

        private static int PortOf(string? label)
        {
            string digits = label is null ? string.Empty : label.Substring(label.LastIndexOf(' ') + 1);
            return int.TryParse(digits, out int port) ? port : int.MaxValue;
        }
    }
}
