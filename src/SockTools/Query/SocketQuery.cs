using System;
using System.Collections.Generic;
using SockTools.Table;

namespace SockTools.Query
{
    /// <summary>
    /// What to read and how to filter it, built once per call from cmdlet parameters, in words every OS
    /// reader understands: protocols, states, ports, addresses, paths, owners. Each reader turns what it can into
    /// its own request (Linux: a kernel state mask and port bytecode); everything in <see cref="Matches"/>
    /// runs on each row before any owner lookup, so cheap filters shrink the expensive part.
    /// A filter given must be passed: a UNIX socket has no port or IP address, so any port, address, family or
    /// exposure filter leaves UNIX sockets out, and a path filter leaves out everything but UNIX sockets.
    /// </summary>
    internal sealed class SocketQuery
    {
        private IReadOnlyCollection<SocketState>? _states;
        private ulong _stateBits = ulong.MaxValue;

        internal bool IncludeTcp { get; set; } = true;

        internal bool IncludeUdp { get; set; } = true;

        /// <summary>UNIX domain sockets; not by default (the default set is TCP and UDP, as ss -tu).</summary>
        internal bool IncludeUnix { get; set; }

        /// <summary>
        /// -Protocol All: every protocol the OS's reader has, so a protocol this OS cannot read is left out rather
        /// than refused (<see cref="SocketPlatform"/> narrows it).
        /// </summary>
        internal bool AllProtocols { get; set; }

        /// <summary>
        /// The states wanted; null (the default) is every state the OS lists without being asked for more,
        /// which on Linux leaves out TCP sockets that are only bound unless Bound is named.
        /// </summary>
        internal IReadOnlyCollection<SocketState>? States
        {
            get => _states;
            set
            {
                _states = value;
                _stateBits = value is null ? ulong.MaxValue : 0;
                foreach (SocketState state in value ?? (IReadOnlyCollection<SocketState>)Array.Empty<SocketState>())
                {
                    _stateBits |= 1UL << (int)state;
                }
            }
        }

        internal bool IncludeIPv4 { get; set; } = true;

        internal bool IncludeIPv6 { get; set; } = true;

        /// <summary>-AddressFamily was given: only IP sockets can pass it, whichever families it names.</summary>
        internal bool FiltersOnAddressFamily { get; set; }

        internal PortSet? LocalPorts { get; set; }

        internal PortSet? RemotePorts { get; set; }

        /// <summary>Ports that may be at either end (-Port).</summary>
        internal PortSet? AnyPorts { get; set; }

        internal IReadOnlyList<AddressRange>? LocalAddresses { get; set; }

        internal IReadOnlyList<AddressRange>? RemoteAddresses { get; set; }

        internal IReadOnlyCollection<Exposure>? Exposures { get; set; }

        /// <summary>Only sockets owned by these processes; only these processes are scanned.</summary>
        internal IReadOnlyCollection<int>? ProcessIds { get; set; }

        /// <summary>Only sockets owned by processes whose name matches; names are checked before fds are read.</summary>
        internal Func<string, bool>? ProcessNameMatch { get; set; }

        /// <summary>Only UNIX sockets whose name matches (wildcards, case-sensitive as paths are); unnamed ones never match.</summary>
        internal Func<string, bool>? PathMatch { get; set; }

        /// <summary>
        /// Only sockets others can reach to start talking: TCP listeners and unconnected UDP sockets (with the Listen
        /// and Unconnected states), UNIX listeners and named UNIX datagram sockets without a peer, in whatever state
        /// (an unnamed one cannot be sent to, a stream socket that does not listen cannot be connected to).
        /// </summary>
        internal bool ListenersOnly { get; set; }

        /// <summary>Ask for TCP internals (tcp_info, congestion control); netlink only.</summary>
        internal bool IncludeTcpInfo { get; set; }

        /// <summary>Ask for each socket's memory accounting and drop counter (sk_meminfo); netlink only.</summary>
        internal bool IncludeMemoryInfo { get; set; }

        /// <summary>
        /// False: entries without owners, so no process is read (the cheap part of a read only). For callers that
        /// look at addresses and queues alone; an owner filter then matches nothing.
        /// </summary>
        internal bool IncludeOwners { get; set; } = true;

        internal bool FiltersOnOwner => ProcessIds is not null || ProcessNameMatch is not null;

        /// <summary>True when a filter of IP words (ports, addresses, families, exposure) was given: no UNIX socket passes it.</summary>
        internal bool FiltersOnIPEndpoint
            => LocalPorts is not null || RemotePorts is not null || AnyPorts is not null || LocalAddresses is not null
               || RemoteAddresses is not null || Exposures is not null || FiltersOnAddressFamily;

        internal bool Includes(SocketProtocol protocol) => protocol switch
        {
            SocketProtocol.Tcp => IncludeTcp,
            SocketProtocol.Udp => IncludeUdp,
            _ => IncludeUnix,
        };

        /// <summary>
        /// Whether any socket of <paramref name="protocol"/> can pass the filters, so a reader can skip its table:
        /// no UNIX socket passes a port or address filter, no TCP or UDP socket a path filter.
        /// </summary>
        internal bool CanMatch(SocketProtocol protocol)
            => Includes(protocol) && (protocol == SocketProtocol.Unix ? !FiltersOnIPEndpoint : PathMatch is null);

        /// <summary>The filters that need nothing but the row itself.</summary>
        internal bool Matches(in SocketRecord row)
        {
            if (!Includes(row.Protocol))
            {
                return false;
            }

            if (row.Protocol == SocketProtocol.Unix)
            {
                return MatchesUnix(in row);
            }

            if ((_stateBits & (1UL << (int)row.State)) == 0)
            {
                return false; // a reader that cannot ask the OS to filter states (/proc) relies on this
            }

            if (PathMatch is not null)
            {
                return false;
            }

            if (row.IsV6 ? !IncludeIPv6 : !IncludeIPv4)
            {
                return false;
            }

            if (LocalPorts is not null && !LocalPorts.Contains(row.LocalPort))
            {
                return false;
            }

            if (RemotePorts is not null && !RemotePorts.Contains(row.RemotePort))
            {
                return false;
            }

            if (AnyPorts is not null && !AnyPorts.Contains(row.LocalPort) && !AnyPorts.Contains(row.RemotePort))
            {
                return false;
            }

            if (Exposures is not null && !Contains(Exposures, row.LocalAddress.Exposure))
            {
                return false;
            }

            return InRanges(LocalAddresses, row.LocalAddress) && InRanges(RemoteAddresses, row.RemoteAddress);
        }

        private bool MatchesUnix(in SocketRecord row)
        {
            if (FiltersOnIPEndpoint)
            {
                return false;
            }

            string? path = row.Unix?.Path;
            if (PathMatch is not null && (path is null || !PathMatch(path)))
            {
                return false;
            }

            if (ListenersOnly)
            {
                // Reachable: a listener, or a named datagram socket without a peer of its own (a connected one takes
                // datagrams from its peer only). Such a socket is Established since kernel 5.15 once anyone has
                // connect()ed to it, so its state does not tell; its peer does. (/proc/net/unix names no peer: there
                // every named datagram socket counts.)
                return row.State == SocketState.Listen
                       || (path is not null && row.Unix?.Type == UnixSocketType.Datagram && row.Unix.PeerInode == 0);
            }

            return (_stateBits & (1UL << (int)row.State)) != 0;
        }

        private static bool InRanges(IReadOnlyList<AddressRange>? ranges, AddressValue address)
        {
            if (ranges is null)
            {
                return true;
            }

            for (int i = 0; i < ranges.Count; i++)
            {
                if (ranges[i].Contains(address))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Contains(IReadOnlyCollection<Exposure> set, Exposure value)
        {
            foreach (Exposure item in set)
            {
                if (item == value)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
