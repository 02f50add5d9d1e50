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
                _bits[port >> 6] |= 1UL << (port & 63);
                Count++;
            }
        }

        internal int Count { get; }

        internal bool Contains(ushort port) => (_bits[port >> 6] & (1UL << (port & 63))) != 0;
    }
}
