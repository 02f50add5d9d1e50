using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SockTools.Graph
{
    /// <summary>
    /// Turns sockets into the map: a node per process (or per process name), per remote host and per computer's
    /// unknown owner; an edge per client, server and server port, counting connections. The two ends of a
    /// connection on one computer (both 4-tuples in the input, mirrored) are joined into one edge from the client
    /// process to the server process. Pure: the input and the options are everything it knows.
    /// </summary>
    /// <remarks>
    /// The server end is the one whose local port listens (a listener in the input or in
    /// <see cref="GraphOptions.Listening"/>); when that does not decide, the end outside the ephemeral range, and
    /// then the lower port. UNIX sockets are joined by inode and peer inode instead; the server end is the one with a
    /// path (an accepted socket carries its listener's), and the path is the label.
    /// </remarks>
    internal sealed class SocketGraphBuilder
    {
        private readonly GraphOptions _options;
        private readonly ListeningPorts _listening;
        private readonly Dictionary<string, GraphNode> _nodes = new Dictionary<string, GraphNode>(StringComparer.Ordinal);
        private readonly Dictionary<(GraphNode, GraphNode, string), GraphEdge> _edges = new Dictionary<(GraphNode, GraphNode, string), GraphEdge>();
        private readonly Dictionary<GraphNode, AddressValue> _remoteAddresses = new Dictionary<GraphNode, AddressValue>();
        private readonly HashSet<string> _hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        internal SocketGraphBuilder(GraphOptions options)
        {
            _options = options;
            _listening = options.Listening;
        }

        /// <summary>The whole map of <paramref name="sockets"/>.</summary>
        internal SocketGraph Build(IReadOnlyList<GraphSocket> sockets)
        {
            foreach (GraphSocket socket in sockets)
            {
                _hosts.Add(socket.Host ?? string.Empty);
                if (socket.IsListener && !socket.IsUnix)
                {
                    _listening.Add(socket.Host, socket.Protocol, socket.LocalAddress, socket.LocalPort);
                }
            }

            foreach (GraphSocket socket in sockets)
            {
                if (socket.IsListener)
                {
                    ProcessNode(socket).Listens.Add(socket.IsUnix ? UnixLabel(socket.Path) : PortLabel(socket.Protocol, socket.LocalPort));
                }
            }

            JoinInet(sockets);
            JoinUnix(sockets);
            return Finish();
        }

        /// <summary>TCP and UDP connections: mirrored 4-tuples of one computer are the two ends of one connection.</summary>
        private void JoinInet(IReadOnlyList<GraphSocket> sockets)
        {
            var byTuple = new Dictionary<(string, SocketProtocol, AddressValue, int, AddressValue, int), GraphSocket>();
            foreach (GraphSocket socket in sockets)
            {
                if (socket.HasPeer && !socket.IsUnix)
                {
                    var tuple = (socket.Host ?? string.Empty, socket.Protocol, socket.LocalAddress, socket.LocalPort, socket.RemoteAddress, socket.RemotePort);
                    if (!byTuple.ContainsKey(tuple))
                    {
                        byTuple.Add(tuple, socket);
                    }
                }
            }

            var joined = new HashSet<GraphSocket>();
            foreach (GraphSocket socket in sockets)
            {
                if (!socket.HasPeer || socket.IsUnix || joined.Contains(socket))
                {
                    continue;
                }

                var mirrored = (socket.Host ?? string.Empty, socket.Protocol, socket.RemoteAddress, socket.RemotePort, socket.LocalAddress, socket.LocalPort);
                bool loopbackPeer = socket.RemoteAddress.IsLoopback;
                if (byTuple.TryGetValue(mirrored, out GraphSocket? peer) && !ReferenceEquals(peer, socket))
                {
                    joined.Add(peer);
                    if (!(_options.ExcludeLoopback && loopbackPeer))
                    {
                        bool peerIsServer = !IsServer(socket, peerListenerKnown: true);
                        GraphSocket server = peerIsServer ? peer : socket;
                        GraphSocket client = peerIsServer ? socket : peer;
                        AddConnection(ProcessNode(client), ProcessNode(server), server, PortLabel(server.Protocol, server.LocalPort));
                    }
                }
                else if (loopbackPeer)
                {
                    // The other end is on this computer but not in the input: its process is not known.
                    if (!_options.ExcludeLoopback)
                    {
                        AddOneEnd(socket, UnknownNode(socket.Host), peerListenerKnown: true);
                    }
                }
                else if (!_options.ExcludeRemote)
                {
                    AddOneEnd(socket, RemoteNode(socket.RemoteAddress), peerListenerKnown: false);
                }
            }
        }

        /// <summary>
        /// UNIX connections: a socket and the one whose inode is its peer are the two ends of one connection. The end
        /// with a path is the server (a client's socket is usually unnamed); when neither or both have one, the end
        /// met first. An end outside the input is drawn from the owner the reader found for the peer.
        /// </summary>
        private void JoinUnix(IReadOnlyList<GraphSocket> sockets)
        {
            var byInode = new Dictionary<(string, long), GraphSocket>();
            foreach (GraphSocket socket in sockets)
            {
                if (socket.IsUnix && socket.Inode > 0 && !byInode.ContainsKey((socket.Host ?? string.Empty, socket.Inode)))
                {
                    byInode.Add((socket.Host ?? string.Empty, socket.Inode), socket);
                }
            }

            var joined = new HashSet<GraphSocket>();
            foreach (GraphSocket socket in sockets)
            {
                if (!socket.IsUnix || !socket.HasPeer || joined.Contains(socket))
                {
                    continue;
                }

                GraphNode here = ProcessNode(socket);
                if (byInode.TryGetValue((socket.Host ?? string.Empty, socket.PeerInode!.Value), out GraphSocket? peer) && !ReferenceEquals(peer, socket))
                {
                    joined.Add(peer);
                    bool peerIsServer = peer.Path is not null && socket.Path is null;
                    GraphSocket server = peerIsServer ? peer : socket;
                    GraphNode there = ProcessNode(peer);
                    AddEdge(peerIsServer ? here : there, peerIsServer ? there : here, UnixLabel(server.Path));
                }
                else
                {
                    GraphNode there = socket.PeerProcessId is int peerPid
                        ? ProcessNode(socket.Host, peerPid, socket.PeerProcessName)
                        : UnknownNode(socket.Host);
                    bool isServer = socket.Path is not null;
                    AddEdge(isServer ? there : here, isServer ? here : there, UnixLabel(socket.Path));
                }
            }
        }

        /// <summary>A UNIX socket's label: "unix /run/app.sock", "unix @name", or "unix" for an unnamed one.</summary>
        internal static string UnixLabel(string? path) => string.IsNullOrEmpty(path) ? "unix" : "unix " + path;

        /// <summary>A connection whose other end is a node of its own (a remote host, an unknown process).</summary>
        private void AddOneEnd(GraphSocket socket, GraphNode peer, bool peerListenerKnown)
        {
            if (IsServer(socket, peerListenerKnown))
            {
                AddConnection(peer, ProcessNode(socket), socket, PortLabel(socket.Protocol, socket.LocalPort));
            }
            else
            {
                AddConnection(ProcessNode(socket), peer, null, PortLabel(socket.Protocol, socket.RemotePort));
            }
        }

        /// <summary>One connection from client to server; a local server end that listens marks its node.</summary>
        /// <param name="from">The client's node.</param>
        /// <param name="to">The server's node.</param>
        /// <param name="serverEnd">The server's socket when it is in the input; null when the server is a node of its own.</param>
        /// <param name="label">What the client connected to: the server port ("8000", "udp 53"); for UNIX sockets the path.</param>
        private void AddConnection(GraphNode from, GraphNode to, GraphSocket? serverEnd, string label)
        {
            if (serverEnd is not null && _listening.Serves(serverEnd.Host, serverEnd.Protocol, serverEnd.LocalAddress, serverEnd.LocalPort))
            {
                to.Listens.Add(label);
            }

            AddEdge(from, to, label);
        }

        private void AddEdge(GraphNode from, GraphNode to, string label)
        {
            var key = (from, to, label);
            if (!_edges.TryGetValue(key, out GraphEdge? edge))
            {
                edge = new GraphEdge(from, to, label);
                _edges.Add(key, edge);
            }

            edge.Count++;
        }

        /// <summary>
        /// Whether the local end of <paramref name="socket"/> is the server: it listens and the peer does not; else
        /// its port is outside the ephemeral range and the peer's inside; else its port is the lower one.
        /// </summary>
        /// <param name="socket">One end.</param>
        /// <param name="peerListenerKnown">The peer end is on the same computer, so its listeners are known too.</param>
        private bool IsServer(GraphSocket socket, bool peerListenerKnown)
        {
            bool listens = _listening.Serves(socket.Host, socket.Protocol, socket.LocalAddress, socket.LocalPort);
            bool peerListens = peerListenerKnown && _listening.Serves(socket.Host, socket.Protocol, socket.RemoteAddress, socket.RemotePort);
            if (listens != peerListens)
            {
                return listens;
            }

            bool ephemeral = IsEphemeral(socket.LocalPort), peerEphemeral = IsEphemeral(socket.RemotePort);
            if (ephemeral != peerEphemeral)
            {
                return peerEphemeral;
            }

            return socket.LocalPort < socket.RemotePort;
        }

        private bool IsEphemeral(int port) => port >= _options.EphemeralFirst && port <= _options.EphemeralLast;

        /// <summary>TCP ports as the number alone (most maps are TCP), others with their protocol: "8000", "udp 53".</summary>
        internal static string PortLabel(SocketProtocol protocol, int port)
        {
            string number = port.ToString(CultureInfo.InvariantCulture);
            return protocol == SocketProtocol.Tcp ? number : protocol.ToString().ToLowerInvariant() + " " + number;
        }

        private GraphNode ProcessNode(GraphSocket socket)
            => socket.ProcessId is int pid ? ProcessNode(socket.Host, pid, socket.ProcessName) : UnknownNode(socket.Host);

        private GraphNode ProcessNode(string? computer, int pid, string? processName)
        {
            string host = computer ?? string.Empty;
            string name = string.IsNullOrEmpty(processName) ? "pid " + pid.ToString(CultureInfo.InvariantCulture) : processName!;
            string key = _options.GroupByProcessName
                ? "name|" + host + "|" + name
                : "pid|" + host + "|" + pid.ToString(CultureInfo.InvariantCulture);
            GraphNode node = Node(key, GraphNodeKind.Process, computer, name);
            node.ProcessIds.Add(pid);
            return node;
        }

        private GraphNode UnknownNode(string? host) => Node("unknown|" + (host ?? string.Empty), GraphNodeKind.UnknownProcess, host, "unknown process");

        private GraphNode RemoteNode(AddressValue address)
        {
            GraphNode node = Node("remote|" + address, GraphNodeKind.RemoteHost, null, address.ToString());
            _remoteAddresses[node] = address;
            return node;
        }

        private GraphNode Node(string key, GraphNodeKind kind, string? host, string name)
        {
            if (!_nodes.TryGetValue(key, out GraphNode? node))
            {
                node = new GraphNode(key, kind, host, name);
                _nodes.Add(key, node);
            }

            return node;
        }

        /// <summary>Nodes in a stable order (processes by computer, name and pid; then unknown; then remote hosts by address), ids by that order.</summary>
        private SocketGraph Finish()
        {
            List<GraphNode> nodes = _nodes.Values
                .OrderBy(n => n.Kind)
                .ThenBy(n => n.Host ?? string.Empty, StringComparer.OrdinalIgnoreCase)
                .ThenBy(n => n.Kind == GraphNodeKind.RemoteHost ? string.Empty : n.Name, StringComparer.OrdinalIgnoreCase)
                .ThenBy(n => n.ProcessIds.Count > 0 ? n.ProcessIds.Min : 0)
                .ThenBy(n => _remoteAddresses.TryGetValue(n, out AddressValue a) ? (a.IsV6 ? 1 : 0) : 0)
                .ThenBy(n => _remoteAddresses.TryGetValue(n, out AddressValue a) ? a.High : 0)
                .ThenBy(n => _remoteAddresses.TryGetValue(n, out AddressValue a) ? a.Low : 0)
                .ToList();
            for (int i = 0; i < nodes.Count; i++)
            {
                nodes[i].Id = "n" + (i + 1).ToString(CultureInfo.InvariantCulture);
            }

            var order = new Dictionary<GraphNode, int>();
            for (int i = 0; i < nodes.Count; i++)
            {
                order[nodes[i]] = i;
            }

            var portOrder = new PortLabelOrder();
            List<GraphEdge> edges = _edges.Values
                .OrderBy(e => order[e.From])
                .ThenBy(e => order[e.To])
                .ThenBy(e => e.Label, portOrder)
                .ToList();
            return new SocketGraph(nodes, edges, _hosts.Count > 1);
        }
    }
}
