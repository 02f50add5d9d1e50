using System;
using System.Collections.Generic;

namespace SockTools.Watch
{
    /// <summary>
    /// Decides which of the OS's "socket destroyed" events tell the watch something the looks did not: a
    /// connection that opened and closed between two looks. The kernel's events are matched by socket
    /// cookie (the 4-tuple where there is none), because the 4-tuple in them can be wrong or premature:
    /// <list type="bullet">
    /// <item>a socket its owner resets loses its peer port (and an unbound local address) before it is freed,
    /// so its event names no connection: it is left out and counted (<see cref="Unidentifiable"/>);</item>
    /// <item>a socket that received a reset leaves the table at once but is freed only when its owner closes
    /// it, which can be long after the watch reported it Closed: that late event is not a second close;</item>
    /// <item>a connection that enters TIME_WAIT frees its full socket while the 4-tuple lives on: its event
    /// waits one look, and is dropped when that look shows the 4-tuple.</item>
    /// </list>
    /// Memory stays bounded: one look's events, and the cookies of sockets closed in the last minutes.
    /// </summary>
    internal sealed class DestroyedSockets
    {
        private static readonly TimeSpan ForgetClosedAfter = TimeSpan.FromMinutes(2);

        private readonly Dictionary<SocketCookie, DateTime> _reportedClosed = new Dictionary<SocketCookie, DateTime>();
        private List<SocketEntry> _waiting = new List<SocketEntry>();

        /// <summary>Events left out because they name no connection (a socket reset by its owner, or never connected).</summary>
        internal int Unidentifiable { get; private set; }

        /// <summary>The watch reported this socket Closed: its destroy event, whenever it comes, is no news.</summary>
        internal void ReportedClosed(SocketEntry entry, DateTime now)
        {
            if (SocketCookie.Of(entry) is SocketCookie cookie)
            {
                _reportedClosed[cookie] = now;
            }
        }

        /// <summary>
        /// The sockets to report as Closed now: the events that waited since the last look and whose socket this
        /// look does not show. This look's own events wait for the next one.
        /// </summary>
        internal List<SocketEntry> News(IReadOnlyList<SocketEntry>? destroyed, ISocketLooks looks, DateTime at)
        {
            var news = new List<SocketEntry>();
            foreach (SocketEntry waited in _waiting)
            {
                // By 4-tuple too: a connection never looked at before it entered TIME_WAIT got its cookie only when
                // freed, after its TIME_WAIT socket was made, so the two cookies differ.
                bool alive = (SocketCookie.Of(waited) is SocketCookie cookie && looks.Knows(cookie)) || looks.InThisLook(new SocketKey(waited));
                if (!alive)
                {
                    news.Add(waited);
                }
            }

            _waiting = new List<SocketEntry>();
            var waiting = new HashSet<SocketKey>();
            foreach (SocketEntry gone in destroyed ?? (IReadOnlyList<SocketEntry>)Array.Empty<SocketEntry>())
            {
                var key = new SocketKey(gone);
                if (SocketCookie.Of(gone) is SocketCookie cookie ? looks.Knows(cookie) || _reportedClosed.Remove(cookie) : looks.InEitherLook(key))
                {
                    continue; // a socket the looks know: they report it
                }

                if (gone.Protocol == SocketProtocol.Tcp && gone.RemotePort == 0)
                {
                    Unidentifiable++;
                    continue;
                }

                if (waiting.Add(key))
                {
                    _waiting.Add(gone);
                }
            }

            Forget(at);
            return news;
        }

        private void Forget(DateTime now)
        {
            if (_reportedClosed.Count == 0)
            {
                return;
            }

            var old = new List<SocketCookie>();
            foreach (KeyValuePair<SocketCookie, DateTime> closed in _reportedClosed)
            {
                if (now - closed.Value > ForgetClosedAfter)
                {
                    old.Add(closed.Key);
                }
            }

            old.ForEach(cookie => _reportedClosed.Remove(cookie));
        }
    }
}
