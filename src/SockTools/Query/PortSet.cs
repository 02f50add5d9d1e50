using System.Collections.Generic;

namespace SockTools.Query
{
    /// <summary>A set of ports as a 65,536-bit map: one bit test per row, whatever the count.</summary>
    internal sealed class PortSet
    {
        private readonly ulong[] _bits = new ulong[65536 / 64];

        internal PortSet(IEnumerable<int> ports)
        {
            foreach (int port in ports)
            {
                if (!Contains((ushort)port))
                {
                    _bits[port >> 6] |= 1UL << (port & 63);
                    Count++;
                }
            }
        }

        internal int Count { get; }

        /// <summary>The ports in ascending order.</summary>
        internal IEnumerable<ushort> Members()
        {
            for (int word = 0; word < _bits.Length; word++)
            {
                ulong bits = _bits[word];
                for (int bit = 0; bits != 0 && bit < 64; bit++, bits >>= 1)
                {
                    if ((bits & 1) != 0)
                    {
                        yield return (ushort)((word * 64) + bit);
                    }
                }
            }
        }

        internal bool Contains(ushort port) => (_bits[port >> 6] & (1UL << (port & 63))) != 0;
    }
}
