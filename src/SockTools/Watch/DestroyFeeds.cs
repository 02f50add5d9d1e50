using System;
using System.Collections.Generic;
using SockTools.Query;
using SockTools.Table;

namespace SockTools.Watch
{
    /// <summary>
    /// The OS's "socket destroyed" feeds a watch listens to: one for the namespace PowerShell runs in, or one per
    /// network namespace the watch reads, each opened inside its namespace (the kernel tells a namespace's sockets
    /// to listeners in that namespace only). With -AllNetworkNamespaces the set follows the namespaces each look
    /// finds: a namespace seen for the first time gets a feed, one that is gone loses it.
    /// </summary>
    internal sealed class DestroyFeeds : IDisposable
    {
        private readonly ITableLog _log;
        private readonly Dictionary<ulong, IDestroyFeed?> _byNamespace = new Dictionary<ulong, IDestroyFeed?>(); // null: could not be opened
        private bool _told;

        internal DestroyFeeds(ITableLog log) => _log = log;

        /// <summary>True once the kernel dropped notifications of any feed because they were read too slowly.</summary>
        internal bool Overflowed { get; private set; }

        /// <summary>Opens the feeds of the namespaces <paramref name="session"/> read last (its own namespace when it names none), closes the others.</summary>
        internal void Follow(TableSession session)
        {
            NamespaceScope? scope = session.Namespaces;
            if (scope is null)
            {
                if (!_byNamespace.ContainsKey(0))
                {
                    _byNamespace[0] = Open(null, () => SocketPlatform.Current.OpenDestroyFeed(null, out string reason) is { } feed ? (feed, reason) : (null, reason));
                }

                return;
            }

            var now = new HashSet<ulong>();
            foreach (NetworkNamespace where in scope.LastRead)
            {
                now.Add(where.Tag.Inode);
                if (!_byNamespace.ContainsKey(where.Tag.Inode))
                {
                    NamespaceTag tag = where.Tag;
                    _byNamespace[tag.Inode] = Open(where, () => scope.Thread.Run(where, () =>
                    {
                        IDestroyFeed? feed = SocketPlatform.Current.OpenDestroyFeed(tag, out string reason);
                        return (feed, reason);
                    }));
                }
            }

            foreach (ulong gone in new List<ulong>(_byNamespace.Keys))
            {
                if (!now.Contains(gone))
                {
                    _byNamespace[gone]?.Dispose();
                    _byNamespace.Remove(gone);
                }
            }
        }

        /// <summary>Everything the feeds reported destroyed since the last drain that passes the query's row filters.</summary>
        /// <exception cref="SocketTableException">A feed could not be read.</exception>
        internal List<SocketEntry> Drain(SocketQuery query)
        {
            var destroyed = new List<SocketEntry>();
            foreach (IDestroyFeed? feed in _byNamespace.Values)
            {
                if (feed is not null)
                {
                    destroyed.AddRange(feed.Drain(query));
                    Overflowed |= feed.Overflowed;
                }
            }

            return destroyed;
        }

        public void Dispose()
        {
            foreach (IDestroyFeed? feed in _byNamespace.Values)
            {
                feed?.Dispose();
            }

            _byNamespace.Clear();
        }

        /// <summary>Opens one feed; says once whether short connections will be caught (and why not).</summary>
        private IDestroyFeed? Open(NetworkNamespace? where, Func<(IDestroyFeed? Feed, string Reason)> open)
        {
            IDestroyFeed? feed;
            string reason;
            try
            {
                (feed, reason) = open();
            }
            catch (Exception e) when (SocketTableException.IsReaderFailure(e))
            {
                (feed, reason) = (null, e.Message); // the namespace could not be entered again: it is read (or fails) all the same
            }

            if (!_told || (feed is null && where is not null))
            {
                SocketPlatform platform = SocketPlatform.Current;
                string place = where is null ? string.Empty : $" in network namespace {where.Label}";
                _log.Verbose(feed is null
                    ? $"Destroy notifications off{place} ({reason}); connections shorter than one interval may be missed.{platform.DestroyFeedAdvice}"
                    : $"Destroy notifications on{place}: connections shorter than one interval are reported as Closed with no PreviousState.");
                _told = true;
            }

            return feed;
        }
    }
}
