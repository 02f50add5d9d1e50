using System;
using SockTools.Watch;

namespace SockTools.Live
{
    /// <summary>How a row of the live view stands out: new (green), state changed (marked), closed (red, then gone).</summary>
    internal enum LiveMark
    {
        /// <summary>Seen before, unchanged since its mark faded.</summary>
        None,
        /// <summary>Opened since an earlier refresh.</summary>
        New,
        /// <summary>In another state than at an earlier refresh.</summary>
        Changed,
        /// <summary>Gone from the table; kept a moment so the eye catches it, then dropped.</summary>
        Closed,
    }

    /// <summary>One socket of the live view: its latest entry and what happened to it lately.</summary>
    internal sealed class LiveRow
    {
        internal LiveRow(SocketKey key, SocketEntry entry, LiveMark mark, DateTime markedAt)
        {
            Key = key;
            Entry = entry;
            Mark = mark;
            MarkedAt = markedAt;
        }

        internal SocketKey Key { get; }

        /// <summary>The socket as the latest look saw it (for a closed row, as it was last seen).</summary>
        internal SocketEntry Entry { get; set; }

        internal LiveMark Mark { get; set; }

        /// <summary>When the mark was set: marks fade, and closed rows go, a while after it.</summary>
        internal DateTime MarkedAt { get; set; }

        /// <summary>The state before the latest change (for a Changed row); null otherwise.</summary>
        internal SocketState? PreviousState { get; set; }
    }
}
