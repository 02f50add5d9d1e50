namespace SockTools.Watch
{
    /// <summary>
    /// The keys of one look in table order, with what the watch tracks for each. The kernel lists sockets in the
    /// order of its hash tables, which two looks a second apart share almost row for row; so the next look first
    /// compares each row with the row after the last match here (memory read in order), and asks the dictionary
    /// only where the table changed. At 60,000 sockets that turns 60,000 scattered lookups into a sequential scan.
    /// Two of these swap roles every look; their arrays are kept, so a steady poll allocates nothing.
    /// </summary>
    internal sealed class LookOrder
    {
        private SocketKey[] _keys = new SocketKey[64];
        private TrackedSocket[] _tracked = new TrackedSocket[64];

        internal int Count { get; private set; }

        internal void Clear() => Count = 0;

        internal void Add(in SocketKey key, TrackedSocket tracked)
        {
            if (Count == _keys.Length)
            {
                System.Array.Resize(ref _keys, Count * 2);
                System.Array.Resize(ref _tracked, Count * 2);
            }

            tracked.Position = Count;
            _keys[Count] = key;
            _tracked[Count] = tracked;
            Count++;
        }

        /// <summary>The socket at <paramref name="position"/>, when it has that key.</summary>
        internal TrackedSocket? At(int position, in SocketKey key)
            => position < Count && _keys[position].Equals(key) ? _tracked[position] : null;

        /// <summary>Lets go of the tracked sockets (their entries) once this look is no longer the previous one.</summary>
        internal void Release()
        {
            System.Array.Clear(_tracked, 0, Count);
            Count = 0;
        }
    }
}
