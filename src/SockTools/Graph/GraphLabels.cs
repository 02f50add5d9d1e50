using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SockTools.Graph
{
    /// <summary>The text of a node, line by line, before a writer escapes it for its format.</summary>
    internal static class GraphLabels
    {
        /// <summary>More process ids than this on one node (grouped by name) are counted, not listed.</summary>
        private const int ListedPids = 4;

        /// <summary>"nginx", "pid 704" (or "pids 704, 705", "12 processes"), the computer when several, "listens 80, 443".</summary>
        internal static List<string> Lines(GraphNode node, SocketGraph graph)
        {
            var lines = new List<string> { node.Name };
            if (node.Kind == GraphNodeKind.Process)
            {
                int[] pids = node.ProcessIds.ToArray();
                lines.Add(pids.Length switch
                {
                    1 => "pid " + Text(pids[0]),
                    <= ListedPids => "pids " + string.Join(", ", pids.Select(Text)),
                    _ => Text(pids.Length) + " processes",
                });
            }

            if (graph.ShowHosts && node.Kind != GraphNodeKind.RemoteHost)
            {
                lines.Add("on " + (string.IsNullOrEmpty(node.Host) ? "this computer" : node.Host));
            }

            if (node.IsListener)
            {
                lines.Add("listens " + string.Join(", ", node.Listens));
            }

            return lines;
        }

        private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
    }
}
