using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using SockTools.Live;

namespace SockTools.LiveView
{
    /// <summary>What Enter shows for a row: every property of the socket, its owners, and the TCP internals.</summary>
    internal static class DetailsText
    {
        internal static string For(LiveRow row)
        {
            SocketEntry entry = row.Entry;
            var lines = new List<(string Name, string Value)>();
            foreach (PropertyInfo property in typeof(SocketEntry).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != nameof(SocketEntry.Owners)))
            {
                lines.Add((property.Name, Text(property.GetValue(entry))));
            }

            if (entry.Owners is { Count: > 0 } owners)
            {
                lines.Add(("Owners", string.Join(", ", owners.Select(o => o.ToString()))));
            }

            if (entry.Tcp is { } tcp)
            {
                // The TCP internals are plain fields (-TcpInfo shows them as properties through the types file).
                foreach (FieldInfo field in tcp.GetType().GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
                {
                    lines.Add((field.Name, Text(field.GetValue(tcp))));
                }
            }

            if (row.PreviousState is SocketState previous)
            {
                lines.Add(("PreviousState", previous.ToString()));
            }

            lines.Add(("Seen", row.Mark switch
            {
                LiveMark.New => "opened lately",
                LiveMark.Changed => "state changed lately",
                LiveMark.Closed => "closed",
                _ => "unchanged",
            }));

            int width = lines.Max(l => l.Name.Length);
            var text = new StringBuilder();
            foreach ((string name, string value) in lines)
            {
                text.Append(name.PadRight(width)).Append(" : ").Append(value).Append('\n');
            }

            return text.ToString().TrimEnd('\n');
        }

        private static string Text(object? value) => value?.ToString() ?? string.Empty;
    }
}
