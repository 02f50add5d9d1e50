using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SockTools.Graph
{
    /// <summary>
    /// The map in Graphviz DOT, for dot -Tsvg. Every label is a quoted string with backslash and quote escaped,
    /// lines joined by \n; listeners are drawn with a double border, unknown processes dashed, remote hosts as ellipses.
    /// </summary>
    internal static class DotWriter
    {
        internal static IEnumerable<string> Write(SocketGraph graph)
        {
            yield return "digraph SockTools {";
            yield return "    rankdir=LR;";
            yield return "    node [shape=box, fontname=\"Helvetica\"];";
            yield return "    edge [fontname=\"Helvetica\"];";
            foreach (GraphNode node in graph.Nodes)
            {
                string label = string.Join("\\n", GraphLabels.Lines(node, graph).Select(Escape));
                string style = node.Kind switch
                {
                    GraphNodeKind.RemoteHost => ", shape=ellipse",
                    GraphNodeKind.UnknownProcess => ", style=dashed",
                    _ when node.IsListener => ", peripheries=2",
                    _ => string.Empty,
                };
                yield return $"    {node.Id} [label=\"{label}\"{style}];";
            }

            foreach (GraphEdge edge in graph.Edges)
            {
                yield return $"    {edge.From.Id} -> {edge.To.Id} [label=\"{Escape(edge.Text)}\"];";
            }

            yield return "}";
        }

        /// <summary>Text inside a quoted DOT string: backslash and quote escaped, control characters as spaces.</summary>
        internal static string Escape(string text)
        {
            var escaped = new StringBuilder(text.Length);
            foreach (char c in text)
            {
                escaped.Append(c switch
                {
                    '\\' => "\\\\",
                    '"' => "\\\"",
                    _ when char.IsControl(c) => " ",
                    _ => c.ToString(),
                });
            }

            return escaped.ToString();
        }
    }
}
