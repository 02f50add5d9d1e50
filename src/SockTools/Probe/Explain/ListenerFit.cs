namespace SockTools.Probe
{
    /// <summary>How a listener on the dialled port relates to the dialled address.</summary>
    internal enum ListenerFit
    {
        /// <summary>It takes connections to that address: bound to it, or to the wildcard address of its IP version.</summary>
        Takes,

        /// <summary>
        /// An IPv6 listener on [::] and an IPv4 address: it takes IPv4 too unless it is IPv6-only (IPV6_V6ONLY),
        /// and the reader could not see which (/proc).
        /// </summary>
        MayTake,

        /// <summary>Bound to another address of the same IP version.</summary>
        OtherAddress,

        /// <summary>Listening for the other IP version only ([::1] for 127.0.0.1; an IPv6-only [::]; 0.0.0.0 for ::1).</summary>
        OtherFamily,
    }

    /// <summary>Works out the <see cref="ListenerFit"/> of a listener for an address, the way the kernel matches them.</summary>
    internal static class ListenerFits
    {
        /// <param name="listener">A TCP listener on the dialled port.</param>
        /// <param name="dialled">The address connected to, IPv4-mapped addresses as IPv4.</param>
        internal static ListenerFit Of(SocketEntry listener, AddressValue dialled)
        {
            AddressValue bound = listener.LocalValue;
            if (bound.IsV4Mapped)
            {
                // An IPv6 socket bound to ::ffff:a.b.c.d takes IPv4 connections to a.b.c.d and nothing else.
                bound = bound.Unmapped;
            }

            if (bound.IsV6 != dialled.IsV6)
            {
                bool dualStack = bound.IsV6 && bound.IsAny && !dialled.IsV6;
                return !dualStack ? ListenerFit.OtherFamily
                    : listener.IPv6Only switch
                    {
                        false => ListenerFit.Takes,
                        true => ListenerFit.OtherFamily,
                        null => ListenerFit.MayTake,
                    };
            }

            return bound.IsAny || bound.Equals(dialled) ? ListenerFit.Takes : ListenerFit.OtherAddress;
        }
    }
}
