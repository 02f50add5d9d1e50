using System.Management.Automation;

namespace SockTools.Commands
{
    /// <summary>
    /// The extra type names an entry or change is written with. They pick its view (SockTools.Format.ps1xml) and
    /// the properties only some entries have (SockTools.Types.ps1xml): the TCP internals of -TcpInfo, the memory
    /// accounting of -MemoryInfo, and what only a UNIX socket has (Path, SocketType, the peer). So an export of
    /// TCP and UDP sockets has no column that is always empty.
    /// </summary>
    /// <remarks>
    /// PowerShell formats a whole pipeline's output with the view of its first object. So the UNIX views (Path and
    /// the peer instead of endpoints) are given only when a command writes UNIX sockets alone; when UNIX sockets come
    /// with TCP and UDP ones (-Protocol All), every entry gets the TCP and UDP view, whose Local column then shows a
    /// UNIX socket's path, whichever protocol comes first. A UNIX entry has the UNIX members (#Unix) either way.
    /// </remarks>
    internal static class EntryTypeNames
    {
        internal const string Unix = "SockTools.SocketEntry#Unix";
        internal const string UnixView = "SockTools.SocketEntry#UnixView";
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
        /// <param name="unixOnly">The command writes UNIX sockets only, so they may have their own view.</param>
        internal static object Of(SocketEntry entry, bool listener, bool tcpInfo, bool memoryInfo, bool unixOnly)
        {
            bool unix = entry.Protocol == SocketProtocol.Unix;
            if (!unix && !listener && !tcpInfo && !memoryInfo)
            {
                return entry;
            }

            var item = new PSObject(entry);
            int at = 0;
            if (listener)
            {
                item.TypeNames.Insert(at++, unix && unixOnly ? UnixListener : Listener);
            }
            else if (unix && unixOnly)
            {
                item.TypeNames.Insert(at++, UnixView);
            }

            if (unix)
            {
                item.TypeNames.Insert(at++, Unix);
            }
            else if (tcpInfo)
            {
                item.TypeNames.Insert(at++, TcpInfo);
            }

            if (memoryInfo)
            {
                item.TypeNames.Insert(at, MemoryInfo);
            }

            return item;
        }

        /// <summary>A change as written: a UNIX socket's change gets the members with its name and peer, and its own view when alone.</summary>
        internal static object Of(SocketChange change, bool unixOnly)
        {
            if (change.Protocol != SocketProtocol.Unix)
            {
                return change;
            }

            var item = new PSObject(change);
            item.TypeNames.Insert(0, UnixChange);
            if (unixOnly)
            {
                item.TypeNames.Insert(0, UnixChangeView);
            }

            return item;
        }
    }
}
