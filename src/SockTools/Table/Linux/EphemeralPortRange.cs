using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// The local ports connect() may pick from: net.ipv4.ip_local_port_range (both ends included, IPv6 too) less
    /// net.ipv4.ip_local_reserved_ports. Both are settings of a network namespace, read from the files of the one
    /// <see cref="Read"/> is pointed at: /proc/sys/net/ipv4 shows those of the namespace the reading thread is
    /// in, so reading another namespace means reading there (setns) or handing in another directory.
    /// </summary>
    internal sealed class EphemeralPortRange
    {
        /// <summary>Where the current network namespace keeps both settings.</summary>
        internal const string CurrentNamespace = "/proc/sys/net/ipv4";

        internal const string RangeFile = "ip_local_port_range";
        internal const string ReservedFile = "ip_local_reserved_ports";

        private readonly bool[] _reserved;

        private EphemeralPortRange(int first, int last, bool[] reserved)
        {
            First = first;
            Last = last;
            _reserved = reserved;
            for (int port = first; port <= last; port++)
            {
                ReservedCount += reserved[port] ? 1 : 0;
            }
        }

        /// <summary>The lowest port of the range.</summary>
        internal int First { get; }

        /// <summary>The highest port of the range.</summary>
        internal int Last { get; }

        /// <summary>Reserved ports that lie inside the range.</summary>
        internal int ReservedCount { get; }

        /// <summary>Ports connect() may pick: the range less its reserved ports.</summary>
        internal int Size => Last - First + 1 - ReservedCount;

        /// <summary>True when connect() may pick <paramref name="port"/>: inside the range and not reserved.</summary>
        internal bool Contains(int port) => port >= First && port <= Last && !_reserved[port];

        /// <summary>"40000-40009 less 3 reserved: 7 ports", for -Verbose.</summary>
        public override string ToString()
            => string.Format(CultureInfo.InvariantCulture, "{0}-{1}{2}: {3} ports", First, Last, ReservedCount == 0 ? string.Empty : $" less {ReservedCount} reserved", Size);

        /// <summary>Reads both settings from <paramref name="directory"/> (a namespace's /proc/sys/net/ipv4).</summary>
        /// <exception cref="IOException">The range file cannot be read.</exception>
        /// <exception cref="UnauthorizedAccessException">The range file cannot be read.</exception>
        /// <exception cref="SocketTableFormatException">A file does not hold what the kernel writes there.</exception>
        internal static EphemeralPortRange Read(string directory = CurrentNamespace)
        {
            string range = File.ReadAllText(Path.Combine(directory, RangeFile));
            string? reserved;
            try
            {
                reserved = File.ReadAllText(Path.Combine(directory, ReservedFile));
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                reserved = null; // kernels before 2.6.35 reserve nothing
            }

            return Parse(range, reserved);
        }

        /// <summary>The range from the text of both files ("32768\t60999"; "" or "1000-1010,2000"); null reserved is none.</summary>
        /// <exception cref="SocketTableFormatException">A text is not what the kernel writes there.</exception>
        internal static EphemeralPortRange Parse(string rangeText, string? reservedText)
        {
            string[] words = rangeText.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 2 || !TryPort(words[0], out int first) || !TryPort(words[1], out int last) || first > last)
            {
                throw new SocketTableFormatException($"{RangeFile} holds '{SnmpParser.Shorten(rangeText.Trim())}', not two ports from 0 to 65535, the lower first.");
            }

            var reserved = new bool[65536];
            foreach ((int low, int high) in ParseReserved(reservedText ?? string.Empty))
            {
                for (int port = low; port <= high; port++)
                {
                    reserved[port] = true;
                }
            }

            return new EphemeralPortRange(first, last, reserved);
        }

        /// <summary>The ranges of a reserved-ports list as the kernel writes it: "", "8080", "1000-1010,2000".</summary>
        /// <exception cref="SocketTableFormatException">The text is not such a list.</exception>
        internal static List<(int Low, int High)> ParseReserved(string text)
        {
            var ranges = new List<(int, int)>();
            string trimmed = text.Trim();
            if (trimmed.Length == 0)
            {
                return ranges;
            }

            foreach (string part in trimmed.Split(','))
            {
                string item = part.Trim();
                int dash = item.IndexOf('-');
                string lowText = dash < 0 ? item : item.Substring(0, dash);
                string highText = dash < 0 ? item : item.Substring(dash + 1);
                if (!TryPort(lowText, out int low) || !TryPort(highText, out int high) || low > high)
                {
                    throw new SocketTableFormatException($"{ReservedFile} holds '{SnmpParser.Shorten(trimmed)}': '{SnmpParser.Shorten(item)}' is neither a port nor a range of ports (low-high) from 0 to 65535.");
                }

                ranges.Add((low, high));
            }

            return ranges;
        }

        private static bool TryPort(string text, out int port)
            => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
    }
}
