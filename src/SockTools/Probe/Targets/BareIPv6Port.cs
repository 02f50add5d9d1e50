using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace SockTools.Probe
{
    /// <summary>
    /// ::1:443 is a valid IPv6 address (::0.1.4.67), so it cannot be refused, but without -Port it most
    /// likely meant ::1 on port 443. When the last group reads as a port and what comes before it is an
    /// IPv6 address of its own, this gives the bracketed form to suggest: [::1]:443.
    /// </summary>
    internal static class BareIPv6Port
    {
        internal static string? Hint(string text)
        {
            int lastColon = text.LastIndexOf(':');
            if (lastColon <= 0 || text.IndexOf('%') >= 0)
            {
                return null;
            }

            string tail = text.Substring(lastColon + 1);
            if (tail.Length == 0 || tail.Length > 5 || !tail.All(c => c >= '0' && c <= '9') || tail[0] == '0')
            {
                return null;
            }

            int port = int.Parse(tail, CultureInfo.InvariantCulture);
            string head = text.Substring(0, lastColon);
            bool headIsAddress = port <= TargetNameParser.MaxPort
                && !head.EndsWith(":", System.StringComparison.Ordinal)
                && IPAddress.TryParse(head, out IPAddress? address)
                && address.AddressFamily == AddressFamily.InterNetworkV6;
            return headIsAddress ? $"[{head}]:{tail}" : null;
        }
    }
}
