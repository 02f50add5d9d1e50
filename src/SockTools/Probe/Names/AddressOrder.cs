using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;

namespace SockTools.Probe
{
    /// <summary>
    /// The order addresses are tried in, as Happy Eyeballs (RFC 8305, section 4) does: keep the
    /// resolver's preference for the first address, then alternate families, so a broken IPv6 path
    /// delays an IPv4 answer by one attempt delay at most instead of one timeout per address.
    /// </summary>
    internal static class AddressOrder
    {
        internal static List<IPAddress> Interleave(IEnumerable<IPAddress> resolved)
        {
            var v6 = new Queue<IPAddress>();
            var v4 = new Queue<IPAddress>();
            var seen = new HashSet<IPAddress>();
            AddressFamily? first = null;
            foreach (IPAddress raw in resolved)
            {
                IPAddress address = raw.IsIPv4MappedToIPv6 ? raw.MapToIPv4() : raw;
                if (address.AddressFamily != AddressFamily.InterNetwork && address.AddressFamily != AddressFamily.InterNetworkV6)
                {
                    continue;
                }

                if (!seen.Add(address))
                {
                    continue;
                }

                first ??= address.AddressFamily;
                (address.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : v4).Enqueue(address);
            }

            var ordered = new List<IPAddress>(v6.Count + v4.Count);
            bool takeV6 = first == AddressFamily.InterNetworkV6;
            while (v6.Count > 0 || v4.Count > 0)
            {
                Queue<IPAddress> preferred = takeV6 ? v6 : v4;
                Queue<IPAddress> other = takeV6 ? v4 : v6;
                ordered.Add(preferred.Count > 0 ? preferred.Dequeue() : other.Dequeue());
                takeV6 = !takeV6;
            }

            return ordered;
        }
    }
}
