using System;
using System.Globalization;
using System.Management.Automation;

namespace SockTools
{
    /// <summary>
    /// The getters behind the extended properties SockTools.Types.ps1xml declares: the endpoint columns of the
    /// views (LocalEndpoint, RemoteEndpoint), SocketChange.TimeStamp, the -TcpInfo internals, the -MemoryInfo
    /// accounting, and what only UNIX sockets have (Path, SocketType, the peer). Public only
    /// because PowerShell's type system calls them; they are not an API of their own.
    /// </summary>
    /// <remarks>
    /// Each getter also works on the Deserialized.* copies that jobs and remoting return, which carry the
    /// plain properties only.
    /// </remarks>
    public static class ExtendedMembers
    {
        // The ToString of a TimeStamp. Without a format (Export-Csv, "$x", Format-List) it is ISO 8601 with
        // milliseconds in the invariant culture; with one ($x.TimeStamp.ToString('HH:mm')) it is DateTime's own.
        // A script method, because callers pass zero, one or two arguments.
        private static readonly ScriptBlock IsoText = ScriptBlock.Create(@"
            param($format, $provider)
            $time = [datetime]$this
            if ($format -isnot [string] -or $format.Length -eq 0) { $time.ToString('yyyy-MM-ddTHH:mm:ss.fffzzz', [cultureinfo]::InvariantCulture) }
            elseif ($null -eq $provider) { $time.ToString($format) }
            else { $time.ToString($format, $provider) }");

        /// <summary>Local address and port as ss prints them: 127.0.0.1:80, [::1]:80, *:80 for :: taking IPv4 too; a UNIX socket's name.</summary>
        public static string? LocalEndpoint(PSObject instance) => instance?.BaseObject switch
        {
            SocketEntry entry => entry.LocalEndpoint,
            SocketChange change => change.Entry.LocalEndpoint,
            _ => Endpoint(instance, "LocalAddress", "LocalPort", false) ?? instance?.Properties["Path"]?.Value as string,
        };

        /// <summary>Peer address and port; a peer port of 0 (no peer) as *.</summary>
        public static string? RemoteEndpoint(PSObject instance) => instance?.BaseObject switch
        {
            SocketEntry entry => entry.RemoteEndpoint,
            SocketChange change => change.Entry.RemoteEndpoint,
            _ => Endpoint(instance, "RemoteAddress", "RemotePort", true),
        };

        /// <summary>
        /// When a change was seen: a DateTime whose text form keeps the milliseconds and reads the same in every
        /// culture (2026-12-02T14:03:07.123+00:00), because Export-Csv writes values with ToString().
        /// </summary>
        public static object? TimeStamp(PSObject instance)
        {
            if (instance?.BaseObject is not SocketChange change)
            {
                return null;
            }

            var stamp = new PSObject(change.Time);
            stamp.Members.Add(new PSScriptMethod("ToString", IsoText));
            return stamp;
        }

        /// <summary>Smoothed round-trip time in milliseconds.</summary>
        public static double? RoundTripTimeMs(PSObject instance) => Tcp(instance)?.RoundTripTimeMs;

        /// <summary>Round-trip time variance in milliseconds.</summary>
        public static double? RoundTripTimeVarianceMs(PSObject instance) => Tcp(instance)?.RoundTripTimeVarianceMs;

        /// <summary>Lowest round-trip time seen, in milliseconds.</summary>
        public static double? MinRoundTripTimeMs(PSObject instance) => Tcp(instance)?.MinRoundTripTimeMs;

        /// <summary>Current retransmission timeout in milliseconds.</summary>
        public static double? RetransmitTimeoutMs(PSObject instance) => Tcp(instance)?.RetransmitTimeoutMs;

        /// <summary>Congestion control algorithm (cubic, bbr, ...).</summary>
        public static string? CongestionControl(PSObject instance) => Tcp(instance)?.CongestionControl;

        /// <summary>Congestion window in segments.</summary>
        public static long? CongestionWindow(PSObject instance) => Tcp(instance)?.CongestionWindow;

        /// <summary>Slow-start threshold in segments.</summary>
        public static long? SlowStartThreshold(PSObject instance) => Tcp(instance)?.SlowStartThreshold;

        /// <summary>Maximum segment size for sending, in bytes.</summary>
        public static long? MaxSegmentSize(PSObject instance) => Tcp(instance)?.MaxSegmentSize;

        /// <summary>Segments retransmitted over the connection's life.</summary>
        public static long? RetransmittedSegments(PSObject instance) => Tcp(instance)?.RetransmittedSegments;

        /// <summary>Bytes sent, retransmissions included.</summary>
        public static long? BytesSent(PSObject instance) => Tcp(instance)?.BytesSent;

        /// <summary>Bytes the peer acknowledged.</summary>
        public static long? BytesAcked(PSObject instance) => Tcp(instance)?.BytesAcked;

        /// <summary>Bytes received.</summary>
        public static long? BytesReceived(PSObject instance) => Tcp(instance)?.BytesReceived;

        /// <summary>Bytes retransmitted.</summary>
        public static long? BytesRetransmitted(PSObject instance) => Tcp(instance)?.BytesRetransmitted;

        /// <summary>Milliseconds since data was last sent.</summary>
        public static long? LastSendMs(PSObject instance) => Tcp(instance)?.LastSendMs;

        /// <summary>Milliseconds since data was last received.</summary>
        public static long? LastReceiveMs(PSObject instance) => Tcp(instance)?.LastReceiveMs;

        /// <summary>Most recent delivery rate estimate in bits per second.</summary>
        public static long? DeliveryRateBitsPerSecond(PSObject instance) => Tcp(instance)?.DeliveryRateBitsPerSecond;

        /// <summary>A UNIX socket's name: a path, or @name for an abstract one; null when unnamed.</summary>
        public static string? Path(PSObject instance) => Entry(instance)?.Path;

        /// <summary>A UNIX socket's kind: Stream, Datagram or SeqPacket.</summary>
        public static UnixSocketType? SocketType(PSObject instance) => Entry(instance)?.UnixType;

        /// <summary>Inode of the socket at the other end of a UNIX connection.</summary>
        public static long? PeerInode(PSObject instance) => Entry(instance)?.PeerInode;

        /// <summary>The process holding the other end (its lowest pid).</summary>
        public static int? PeerProcessId(PSObject instance) => Entry(instance)?.PeerProcessId;

        /// <summary>Name of the process holding the other end.</summary>
        public static string? PeerProcessName(PSObject instance) => Entry(instance)?.PeerProcessName;

        /// <summary>Bytes of received data held in the receive queue (ss -m r).</summary>
        public static long? ReceiveBufferUsedBytes(PSObject instance) => Memory(instance)?.ReceiveBufferUsed;

        /// <summary>The receive buffer limit (ss -m rb).</summary>
        public static long? ReceiveBufferLimitBytes(PSObject instance) => Memory(instance)?.ReceiveBufferLimit;

        /// <summary>Bytes of sent data not yet freed (ss -m t).</summary>
        public static long? SendBufferUsedBytes(PSObject instance) => Memory(instance)?.SendBufferUsed;

        /// <summary>The send buffer limit (ss -m tb).</summary>
        public static long? SendBufferLimitBytes(PSObject instance) => Memory(instance)?.SendBufferLimit;

        /// <summary>Memory allocated in advance and not used yet (ss -m f).</summary>
        public static long? ForwardAllocBytes(PSObject instance) => Memory(instance)?.ForwardAlloc;

        /// <summary>Bytes queued to be sent (ss -m w).</summary>
        public static long? SendQueuedBytes(PSObject instance) => Memory(instance)?.SendQueued;

        /// <summary>Memory for socket options and ancillary data (ss -m o).</summary>
        public static long? OptionMemoryBytes(PSObject instance) => Memory(instance)?.OptionMemory;

        /// <summary>Bytes in the backlog queue (ss -m bl).</summary>
        public static long? BacklogBytes(PSObject instance) => Memory(instance)?.Backlog;

        /// <summary>Packets dropped before they reached the receive queue (ss -m d).</summary>
        public static long? Drops(PSObject instance) => Memory(instance)?.Drops;

        /// <summary>
        /// <paramref name="text"/> broken into lines of at most <paramref name="width"/> characters at spaces (a longer
        /// word alone is broken where it must), for a table column with Wrap: PowerShell itself breaks wrapped cells
        /// in the middle of words. Null stays null.
        /// </summary>
        public static string? WrapWords(string? text, int width)
        {
            if (text is null || width < 1 || text.Length <= width)
            {
                return text;
            }

            var lines = new System.Text.StringBuilder(text.Length + 8);
            int lineLength = 0;
            foreach (string word in text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string rest = word;
                if (lineLength > 0 && lineLength + 1 + rest.Length > width)
                {
                    lines.Append('\n');
                    lineLength = 0;
                }
                else if (lineLength > 0)
                {
                    lines.Append(' ');
                    lineLength++;
                }

                while (rest.Length > width - lineLength)
                {
                    lines.Append(rest, 0, width - lineLength).Append('\n');
                    rest = rest.Substring(width - lineLength);
                    lineLength = 0;
                }

                lines.Append(rest);
                lineLength += rest.Length;
            }

            return lines.ToString();
        }

        private static TcpDetails? Tcp(PSObject instance) => (instance?.BaseObject as SocketEntry)?.Tcp;

        private static SocketMemory? Memory(PSObject instance) => (instance?.BaseObject as SocketEntry)?.Memory;

        /// <summary>The entry behind an entry or a change (a watch of UNIX sockets shows their names and peers too).</summary>
        private static SocketEntry? Entry(PSObject? instance) => instance?.BaseObject switch
        {
            SocketEntry entry => entry,
            SocketChange change => change.Entry,
            _ => null,
        };

        private static string? Endpoint(PSObject? instance, string addressName, string portName, bool isPeer)
        {
            object? address = instance?.Properties[addressName]?.Value;
            object? port = instance?.Properties[portName]?.Value;
            if (address is null || port is null)
            {
                return null;
            }

            bool? ipv6Only = instance?.Properties["IPv6Only"]?.Value is bool only ? only : null;
            return SocketEntry.FormatEndpoint(address.ToString(), Convert.ToInt32(port, CultureInfo.InvariantCulture), isPeer, ipv6Only);
        }
    }
}
