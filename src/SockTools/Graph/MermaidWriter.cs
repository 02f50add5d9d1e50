using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace SockTools.Graph
{
    /// <summary>
    /// The map as a Mermaid flowchart inside a ```mermaid fence, which GitHub and most markdown editors draw.
    /// Node ids are n1, n2, ...; every label is quoted, with the characters Mermaid would read as syntax written
    /// as its entity codes (#quot; #35; #lt; #gt; #amp;), so any process name stays text.
    /// </summary>
    internal static class MermaidWriter
    {
        internal const string Header = "flowchart LR";

        internal static IEnumerable<string> Write(SocketGraph graph)
        {
            yield return "```mermaid";
            yield return Header;
            foreach (GraphNode node in graph.Nodes)
            {
                string label = string.Join("<br/>", GraphLabels.Lines(node, graph).Select(Escape));
                yield return node.Kind switch
                {
                    GraphNodeKind.RemoteHost => $"    {node.Id}{{{{\"{label}\"}}}}",
                    _ when node.IsListener => $"    {node.Id}([\"{label}\"])",
                    _ => $"    {node.Id}[\"{label}\"]",
                };
            }

            foreach (GraphEdge edge in graph.Edges)
            {
                yield return $"    {edge.From.Id} -->|\"{Escape(edge.Text)}\"| {edge.To.Id}";
            }

            string[] listeners = graph.Nodes.Where(n => n.Kind == GraphNodeKind.Process && n.IsListener).Select(n => n.Id).ToArray();
            string[] unknown = graph.Nodes.Where(n => n.Kind == GraphNodeKind.UnknownProcess).Select(n => n.Id).ToArray();
            string[] remote = graph.Nodes.Where(n => n.Kind == GraphNodeKind.RemoteHost).Select(n => n.Id).ToArray();
            if (listeners.Length > 0)
            {
                yield return "    classDef listener stroke-width:3px";
                yield return "    class " + string.Join(",", listeners) + " listener";
            }

            if (unknown.Length > 0)
            {
                yield return "    classDef unknown stroke-dasharray:4 4";
                yield return "    class " + string.Join(",", unknown) + " unknown";
            }

            if (remote.Length > 0)
            {
                yield return "    classDef remote fill:#eef";
                yield return "    class " + string.Join(",", remote) + " remote";
            }

            yield return "```";
        }

        /// <summary>Text inside a quoted Mermaid label: syntax characters as entity codes, control characters as spaces.</summary>
        internal static string Escape(string text)
        {
            var escaped = new StringBuilder(text.Length);
            foreach (char c in text)
            {
                escaped.Append(c switch
                {
                    '#' => "#35;",
                    '"' => "#quot;",
                    '<' => "#lt;",
                    '>' => "#gt;",
                    '&' => "#amp;",
                    '`' => "#96;",
                    _ when char.IsControl(c) => " ",
                    _ => c.ToString(),
                });
            }

            return escaped.ToString();
        }
    }
}
