using System.Globalization;

namespace SockTools
{
    /// <summary>
    /// One row of Get-SockSummary -Counters: a counter the kernel keeps since boot (Linux /proc/net/snmp, netstat,
    /// snmp6), under the name nstat prints (TcpExtListenOverflows), with what it means and what to do when it grows.
    /// </summary>
    public sealed class SocketCounter
    {
        internal SocketCounter(string name, long value, string? description)
        {
            Name = name;
            Value = value;
            Description = description;
        }

        /// <summary>The counter's name as nstat prints it: the kernel's group and field (TcpExt + ListenOverflows).</summary>
        public string Name { get; }

        /// <summary>The count since boot (or since the network namespace was made).</summary>
        public long Value { get; }

        /// <summary>What the counter counts and what to do when it grows; null for counters SockTools has no words for (asked for by -Name).</summary>
        public string? Description { get; }

        /// <summary>"TcpExtListenOverflows 12", as nstat prints it.</summary>
        public override string ToString() => Name + " " + Value.ToString(CultureInfo.InvariantCulture);
    }
}
