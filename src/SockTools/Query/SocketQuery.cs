using System;
using System.Collections.Generic;
using SockTools.Table;

namespace SockTools.Query
{
    /// <summary>
    /// What to read and how to filter it, built once per call from cmdlet parameters, in words every OS
    /// reader understands: protocols, states, ports, addresses, owners. Each reader turns what it can into
    /// its own request (Linux: a kernel state mask and port bytecode); everything in <see cref="Matches"/>
    /// runs on each row before any owner lookup, so cheap filters shrink the expensive part.
    /// </summary>
    internal sealed class SocketQuery
    {
        private IReadOnlyCollection<SocketState>? _states;
        private ulong _stateBits = ulong.MaxValue;

        internal bool IncludeTcp { get; set; } = true;

        internal bool IncludeUdp { get; set; } = true;

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

        /// <summary>Ask for TCP internals (tcp_info, congestion control); netlink only.</summary>
        internal bool IncludeTcpInfo { get; set; }

        /// <summary>
        /// False: entries without owners, so no process is read (the cheap part of a read only). For callers that
        /// look at addresses and queues alone; an owner filter then matches nothing.
        /// </summary>
        internal bool IncludeOwners { get; set; } = true;

        internal bool FiltersOnOwner => ProcessIds is not null || ProcessNameMatch is not null;

        internal bool Includes(SocketProtocol protocol) => protocol == SocketProtocol.Tcp ? IncludeTcp : IncludeUdp;

        /// <summary>The filters that need nothing but the row itself.</summary>
        internal bool Matches(in SocketRecord row)
        {
            if (!Includes(row.Protocol) || (_stateBits & (1UL << (int)row.State)) == 0)
            {
                return false; // a reader that cannot ask the OS to filter states (/proc) relies on this
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
