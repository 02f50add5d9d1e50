using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;

namespace SockTools.Probe
{
    /// <summary>
    /// Says why a port on this host was not open, from the listeners in its socket table: the diagnosis and a
    /// sentence a person can act on. Pure: the address, port and status in, the listeners given, no reading.
    /// The listeners on the dialled port are named with their processes; those on nearby ports by endpoint.
    /// </summary>
    internal static class PortDiagnostician
    {
        /// <summary>How far from the dialled port a listener still counts as "nearby" for NotListening.</summary>
        internal const int NearbyPorts = 100;

        private const int NamedAtMost = 3;

        /// <summary>The diagnosis for a Refused or TimedOut test of <paramref name="dialled"/>:<paramref name="port"/>; null for other statuses.</summary>
        internal static (PortDiagnosis Diagnosis, string Explanation)? Diagnose(IPAddress dialled, int port, PortStatus status, IReadOnlyList<SocketEntry> listeners, string where = "this host")
        {
            if (status != PortStatus.Refused && status != PortStatus.TimedOut)
            {
                return null;
            }

            AddressValue address = AddressValue.FromIPAddress(dialled).Unmapped;
            string dialledText = address.ToString();
            var onPort = listeners.Where(l => l.Protocol == SocketProtocol.Tcp && l.State == SocketState.Listen && l.LocalPort == port)
                .Select(l => (Listener: l, Fit: ListenerFits.Of(l, address)))
                .ToList();

            // A listener whose IPV6_V6ONLY is unknown would have refused an IPv4 connection were it IPv6-only:
            // silence means it took the packets' way, so for a timeout it counts as taking them.
            List<SocketEntry> taking = onPort.Where(x => x.Fit == ListenerFit.Takes || (x.Fit == ListenerFit.MayTake && status == PortStatus.TimedOut)).Select(x => x.Listener).ToList();
            if (taking.Count > 0)
            {
                return Full(taking, status) ?? (status == PortStatus.TimedOut ? Unanswered(taking[0]) : RefusedThoughListening(taking[0]));
            }

            List<SocketEntry> maybe = onPort.Where(x => x.Fit == ListenerFit.MayTake).Select(x => x.Listener).ToList();
            if (maybe.Count > 0)
            {
                return (PortDiagnosis.ListeningOnOtherFamily,
                    $"Only {Named(maybe)} listens on port {port}: it takes IPv4 connections unless it is IPv6-only (IPV6_V6ONLY), which this reader cannot see, and the refusal says it is (or a firewall rule rejects the connection). Connect to ::1, or have the server listen on {dialledText} or 0.0.0.0 too.");
            }

            List<SocketEntry> otherAddress = onPort.Where(x => x.Fit == ListenerFit.OtherAddress).Select(x => x.Listener).ToList();
            if (otherAddress.Count > 0)
            {
                string wildcard = address.IsV6 ? "[::]" : "0.0.0.0";
                return (PortDiagnosis.ListeningOnOtherAddress,
                    $"Listening on {Named(otherAddress)} only; you dialled {dialledText}. Connect to {otherAddress[0].LocalValue.Unmapped}, or have the server listen on {dialledText} or on every address ({wildcard}).");
            }

            List<SocketEntry> otherFamily = onPort.Where(x => x.Fit == ListenerFit.OtherFamily).Select(x => x.Listener).ToList();
            if (otherFamily.Count > 0)
            {
                return (PortDiagnosis.ListeningOnOtherFamily, OtherFamily(otherFamily, address, dialledText));
            }

            return (PortDiagnosis.NotListening, NotListening(port, status, listeners, where));
        }

        /// <summary>
        /// A listener whose accept queue holds more than its backlog: the kernel turns new connections away (it
        /// drops their SYNs; with net.ipv4.tcp_abort_on_overflow it resets them) until the server calls accept().
        /// </summary>
        private static (PortDiagnosis, string)? Full(List<SocketEntry> taking, PortStatus status)
        {
            SocketEntry? full = taking.FirstOrDefault(l => l.SendQueue is long backlog && l.ReceiveQueue > backlog);
            if (full is null)
            {
                return null;
            }

            string effect = status == PortStatus.TimedOut
                ? "so the kernel drops new connection requests (SYNs), which is why connecting timed out"
                : "so the kernel turns new connections away";
            return (PortDiagnosis.BacklogFull,
                $"{Named(full)} listens but does not accept: {Count(full.ReceiveQueue ?? 0, "connection")} wait in its queue and its backlog allows {full.SendQueue}, {effect}. The server is alive but not calling accept() (stuck or overloaded).");
        }

        private static (PortDiagnosis, string) Unanswered(SocketEntry listener)
        {
            string room = listener.SendQueue is long limit
                ? $"with room in its queue ({listener.ReceiveQueue} of {limit} waiting)"
                : "(this reader cannot see its backlog, so a full queue is possible too)";
            return (PortDiagnosis.Filtered,
                $"Nothing answered although {Named(listener)} listens {room}: a firewall rule (nftables, iptables) drops the packets to this port.");
        }

        private static (PortDiagnosis, string) RefusedThoughListening(SocketEntry listener)
            => (PortDiagnosis.Filtered,
                $"{Named(listener)} listens, yet the connection was refused: a firewall rule rejects it (or the server started listening only just now).");

        private static string OtherFamily(List<SocketEntry> listeners, AddressValue dialled, string dialledText)
        {
            string mine = dialled.IsV6 ? "IPv6" : "IPv4";
            string theirs = dialled.IsV6 ? "IPv4" : "IPv6";
            bool v6OnlyWildcard = listeners.Any(l => l.LocalValue.IsV6 && l.LocalValue.IsAny);
            string connectTo = dialled.IsV6 ? "127.0.0.1" : "::1";
            string serverFix = dialled.IsV6
                ? $"have the server listen on {dialledText} or [::] as well"
                : v6OnlyWildcard
                    ? "have the server listen on 0.0.0.0 too, or on [::] with IPV6_V6ONLY off"
                    : $"have the server listen on {dialledText} or 0.0.0.0 too";
            string which = v6OnlyWildcard && !dialled.IsV6 ? ", and it is IPv6-only (IPV6_V6ONLY)" : $" ({theirs})";
            return $"Listening on {Named(listeners)} only{which}; you dialled {dialledText} ({mine}). Connect to {connectTo}, or {serverFix}.";
        }

        private static string NotListening(int port, PortStatus status, IReadOnlyList<SocketEntry> listeners, string where)
        {
            string text = $"Nothing listens on port {port}, on any address of {where}.";
            if (status == PortStatus.TimedOut)
            {
                text += " The connection went unanswered rather than refused, so a firewall rule drops packets to it as well.";
            }

            List<SocketEntry> nearby = listeners
                .Where(l => l.Protocol == SocketProtocol.Tcp && l.State == SocketState.Listen && l.LocalPort is int p && p != port && System.Math.Abs(p - port) <= NearbyPorts)
                .GroupBy(l => l.LocalPort!.Value) // a TCP listener always has a port; only UNIX sockets have none
                .Select(g => g.First())
                .OrderBy(l => System.Math.Abs(l.LocalPort!.Value - port))
                .ThenBy(l => l.LocalPort)
                .Take(NamedAtMost)
                .ToList();
            if (nearby.Count > 0)
            {
                // Endpoints only: naming their processes would cost a /proc scan for a port nobody asked about.
                text += $" Nearby, {Joined(nearby.Select(l => l.LocalEndpoint!).ToList())} {(nearby.Count == 1 ? "listens" : "listen")}: is the server on another port?";
            }

            return text;
        }

        /// <summary>"127.0.0.1:8000 (python3, pid 4744)", several joined with commas and "and".</summary>
        private static string Named(IReadOnlyList<SocketEntry> listeners)
        {
            string joined = Joined(listeners.Take(NamedAtMost).Select(Named).ToList());
            int more = listeners.Count - NamedAtMost;
            return more > 0 ? $"{joined} (and {more} more)" : joined;
        }

        private static string Named(SocketEntry listener)
            => listener.LocalEndpoint + (listener.ProcessId is int pid
                ? $" ({listener.ProcessName ?? "?"}, pid {pid.ToString(CultureInfo.InvariantCulture)})"
                : " (its process is not visible here)");

        private static string Joined(List<string> names)
            => names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[names.Count - 1];

        private static string Count(long n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";
    }
}
