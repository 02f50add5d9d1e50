using System.Collections.Generic;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// The slot of each wanted socket inode, numbered from 0 in the order the inodes first come. Socket inodes come
    /// from one kernel counter, so the sockets of one read mostly sit in a narrow range of numbers: there a slot is
    /// an array element at (inode - lowest), one read in a compact table where a dictionary made two scattered ones.
    /// At 500,000 sockets, filling a dictionary took about 100 ms of the read's critical path, and every look-up
    /// (the kernel's pass makes one per socket fd, the owner stream one per row) missed the cache. Inodes spread
    /// more widely than <see cref="Spread"/> numbers per inode (few sockets among many other files) go to a dictionary.
    /// </summary>
    internal sealed class InodeSlots
    {
        /// <summary>Numbers the dense table may span per wanted inode: four bytes each, so at most 16 bytes an inode.</summary>
        internal const int Spread = 4;

        private const int SmallRange = 4096; // a small read may span this much whatever its count

        private readonly ulong _lowest;
        private readonly int[]? _dense; // slot + 1 at (inode - _lowest); 0 where no wanted inode is
        private readonly Dictionary<ulong, int>? _sparse;

        /// <param name="candidates">The wanted inodes, repeats allowed (a repeat keeps its first slot).</param>
        /// <param name="unique">Each wanted inode once, in slot order.</param>
        internal InodeSlots(List<ulong> candidates, out ulong[] unique)
        {
            ulong lowest = ulong.MaxValue;
            ulong highest = 0;
            foreach (ulong inode in candidates)
            {
                lowest = inode < lowest ? inode : lowest;
                highest = inode > highest ? inode : highest;
            }

            var slots = new ulong[candidates.Count];
            int count = 0;
            ulong width = candidates.Count == 0 ? 0 : highest - lowest; // the span less one: cannot overflow, as the span could over the whole range
            if (candidates.Count > 0 && width < (ulong)candidates.Count * Spread + SmallRange)
            {
                _lowest = lowest;
                _dense = new int[width + 1];
                foreach (ulong inode in candidates)
                {
                    ref int held = ref _dense[inode - lowest];
                    if (held == 0)
                    {
                        slots[count] = inode;
                        held = ++count; // slot + 1
                    }
                }
            }
            else
            {
                _sparse = new Dictionary<ulong, int>(candidates.Count);
                foreach (ulong inode in candidates)
                {
                    if (!_sparse.ContainsKey(inode))
                    {
                        _sparse.Add(inode, count);
                        slots[count++] = inode;
                    }
                }
            }

            if (count < slots.Length)
            {
                System.Array.Resize(ref slots, count); // repeats (a UNIX peer that is a row too): rare, and one copy
            }

            unique = slots;
        }

        /// <summary>True when the slots are an array over the inodes' range, false when a dictionary.</summary>
        internal bool IsDense => _dense is not null;

        /// <summary>Whether <paramref name="inode"/> is wanted, and its slot.</summary>
        internal bool TryGetSlot(ulong inode, out int slot)
        {
            if (_dense is not null)
            {
                ulong at = inode - _lowest; // below the lowest wraps around to a huge number: out of range too
                slot = at < (ulong)_dense.Length ? _dense[at] - 1 : -1;
                return slot >= 0;
            }

            return _sparse!.TryGetValue(inode, out slot);
        }
    }
}
