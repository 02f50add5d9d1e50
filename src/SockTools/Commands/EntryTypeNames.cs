using System.Management.Automation;

namespace SockTools.Commands
{
    /// <summary>
    /// The extra type names an entry or change is written with. They pick its view (SockTools.Format.ps1xml) and
    /// the properties only some entries have (SockTools.Types.ps1xml): the TCP internals of -TcpInfo, the memory
    /// accounting of -MemoryInfo, and, in a mixed output, what only a UNIX socket has (Path, SocketType, the peer).
    /// So an export of TCP and UDP sockets has no column that is always empty.
    /// </summary>
    /// <remarks>
    /// A UNIX socket is a <see cref="UnixSocketEntry"/>, whose type gives it its view and its members: listed alone
    /// (the common case, and thousands of them on a desktop), UNIX sockets are written as they are, with no names.
    /// PowerShell formats a whole pipeline's output with the view of its first object, and Export-Csv and
    /// ConvertTo-Csv take their columns from the first object alone. So when UNIX sockets come with TCP and UDP ones
    /// (-Protocol All), every entry gets #Unix: that name selects the TCP and UDP view first (whose Local column then
    /// shows a UNIX socket's path), whichever protocol comes first, and gives the TCP and UDP entries the UNIX
    /// members ($null for them), so an export that starts with a TCP socket still has the Path and peer columns of
    /// the UNIX sockets after it.
    /// </remarks>
    internal static class EntryTypeNames
    {
        internal const string Unix = "SockTools.SocketEntry#Unix";
        internal const string UnixListener = "SockTools.SocketEntry#UnixListener";
        internal const string Listener = "SockTools.SocketEntry#Listener";
        internal const string TcpInfo = "SockTools.SocketEntry#TcpInfo";
        internal const string MemoryInfo = "SockTools.SocketEntry#MemoryInfo";
        internal const string UnixChange = "SockTools.SocketChange#Unix";
        internal const string UnixChangeView = "SockTools.SocketChange#UnixView";

        /// <summary>
        /// The entry as written: itself when it needs no extra name (the common case, and the cheapest), else wrapped
        /// with its names. UNIX sockets never get the TCP internals, which they cannot have.
        /// </summary>
        /// <param name="entry">The entry.</param>
        /// <param name="listener">Written by Get-SockListener: its views.</param>
        /// <param name="tcpInfo">-TcpInfo was given.</param>
        /// <param name="memoryInfo">-MemoryInfo was given.</param>
        /// <param name="mix">Whether the command writes UNIX sockets, alone or with TCP and UDP ones.</param>
        internal static object Of(SocketEntry entry, bool listener, bool tcpInfo, bool memoryInfo, UnixMix mix)
        {
            bool unix = entry is UnixSocketEntry;
            bool mixed = mix == UnixMix.Mixed;
            if (!mixed && !listener && !memoryInfo && (unix || !tcpInfo))
            {
                return entry;
            }

            var item = new PSObject(entry);
            int at = 0;
            if (listener)
            {
                item.TypeNames.Insert(at++, unix && !mixed ? UnixListener : Listener);
            }

            if (mixed)
            {
                item.TypeNames.Insert(at++, Unix);
            }

            if (!unix && tcpInfo)
            {
                item.TypeNames.Insert(at++, TcpInfo);
            }

            if (memoryInfo)
            {
                item.TypeNames.Insert(at, MemoryInfo);
            }

            return item;
        }

        /// <summary>
        /// A change as written: a UNIX socket's change gets the members with its name and peer (so does every change of
        /// a mixed watch, for its exports), and its own view when alone.
        /// </summary>
        internal static object Of(SocketChange change, UnixMix mix)
        {
            if (mix == UnixMix.None || (change.Protocol != SocketProtocol.Unix && mix != UnixMix.Mixed))
            {
                return change;
            }

            var item = new PSObject(change);
            item.TypeNames.Insert(0, UnixChange);
            if (mix == UnixMix.Alone)
            {
                item.TypeNames.Insert(0, UnixChangeView);
            }

            return item;
        }
    }

    /// <summary>Whether a command's output holds UNIX sockets: none, UNIX sockets alone, or UNIX with TCP and UDP.</summary>
    internal enum UnixMix
    {
        None,
        Alone,
        Mixed,
    }
}
