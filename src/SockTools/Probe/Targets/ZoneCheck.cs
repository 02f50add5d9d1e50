using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;

namespace SockTools.Probe
{
    /// <summary>
    /// The zone of a scoped IPv6 address (the eth0 in fe80::1%eth0) must name an interface of this
    /// computer. .NET reads an unknown name as no zone at all and the connect then fails with
    /// "Unknown socket error", so the zone is checked while the name is read, and the message names
    /// the interfaces there are.
    /// </summary>
    internal static class ZoneCheck
    {
        /// <summary>Why the zone of <paramref name="text"/> names no interface here; null when it has no zone or a known one.</summary>
        internal static string? Problem(string text, IPAddress parsed, string input)
        {
            int percent = text.IndexOf('%');
            if (percent < 0)
            {
                return null;
            }

            string zone = text.Substring(percent + 1);
            List<(string Name, long Index)> interfaces = Interfaces();
            bool numeric = zone.Length > 0 && zone.All(c => c >= '0' && c <= '9');
            bool known = numeric
                ? interfaces.Any(i => i.Index > 0 && i.Index.ToString(CultureInfo.InvariantCulture) == zone.TrimStart('0'))
                : zone.Length > 0 && (parsed.ScopeId != 0 || interfaces.Any(i => i.Name == zone));
            if (known)
            {
                return null;
            }

            string what = numeric ? $"with index {zone}" : $"named '{zone}'";
            string existing = interfaces.Count == 0
                ? "none was found"
                : string.Join(", ", interfaces.Select(i => i.Index > 0 ? $"{i.Name} ({i.Index})" : i.Name));
            return $"'{input}': this computer has no network interface {what}, so the address after it cannot be reached through it. The part after '%' names the interface of a link-local address; the interfaces here are: {existing}.";
        }

        private static List<(string Name, long Index)> Interfaces()
        {
            var found = new List<(string, long)>();
            NetworkInterface[] all;
            try
            {
                all = NetworkInterface.GetAllNetworkInterfaces();
            }
            catch (NetworkInformationException)
            {
                return found;
            }

            foreach (NetworkInterface nic in all)
            {
                found.Add((nic.Name, IndexOf(nic)));
            }

            return found;
        }

        private static long IndexOf(NetworkInterface nic)
        {
            // An interface without IPv6 (or IPv4) has no properties for it; the index is the same in both.
            try
            {
                return nic.GetIPProperties().GetIPv6Properties()?.Index ?? -1;
            }
            catch (Exception e) when (e is NetworkInformationException || e is PlatformNotSupportedException)
            {
                try
                {
                    return nic.GetIPProperties().GetIPv4Properties()?.Index ?? -1;
                }
                catch (Exception inner) when (inner is NetworkInformationException || inner is PlatformNotSupportedException)
                {
                    return -1;
                }
            }
        }
    }
}
