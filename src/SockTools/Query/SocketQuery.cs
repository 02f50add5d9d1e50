using System;
using System.Collections.Generic;
using SockTools.Table;

namespace SockTools.Query
{
    /// <summary>
    /// What to read and how to filter it, built once per call from cmdlet parameters.
    /// The state masks go to the kernel; everything in <see cref="Matches"/> runs on each row
    /// before any owner lookup, so cheap filters shrink the expensive part.
    /// </summary>
    internal sealed class SocketQuery
    {
        /// <summary>Kernel idiag_states bits wanted for TCP; 0 skips TCP entirely.</summary>
        internal uint TcpStateMask { get; set; } = KernelStates.AllTcpStates;

        /// <summary>Kernel idiag_states bits wanted for UDP; 0 skips UDP entirely.</summary>
        internal uint UdpStateMask { get; set; } = KernelStates.Bit(KernelStates.Close) | KernelStates.Bit(KernelStates.Established);

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

        /// <summary>Owners known from an earlier read of the same watch; only new sockets are looked up.</summary>
        internal OwnerCache? OwnerCache { get; set; }

        internal bool FiltersOnOwner => ProcessIds is not null || ProcessNameMatch is not null;

        internal uint StateMaskFor(SocketProtocol protocol) => protocol == SocketProtocol.Tcp ? TcpStateMask : UdpStateMask;

        /// <summary>The filters that need nothing but the row itself.</summary>
        internal bool Matches(in SocketRecord row)
        {
            if ((StateMaskFor(row.Protocol) & KernelStates.Bit(row.KernelState)) == 0)
            {
                return false; // the /proc reader cannot ask the kernel to filter states
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
