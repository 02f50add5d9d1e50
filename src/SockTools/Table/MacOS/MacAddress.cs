namespace SockTools.Table.MacOS
{
    /// <summary>
    /// Reads an address as xnu keeps it in a PCB: IPv6 as 16 bytes, IPv4 in the last 4 of them (in_addr_4in6).
    /// xnu embeds the interface of a link-local or interface-local IPv6 address in its bytes 2 and 3
    /// (IN6_IS_SCOPE_EMBED in bsd/netinet6/in6.h, on by default); those bytes are taken out as the scope and
    /// cleared, so fe80::1 reads as fe80::1 and not fe80:4::1.
    /// </summary>
    internal static class MacAddress
    {
        internal static AddressValue Read(byte[] b, int at, bool isV6, out uint scope)
        {
            scope = 0;
            if (!isV6)
            {
                return AddressValue.FromBytes(b, at + 12, false);
            }

            var bytes = new byte[16];
            System.Array.Copy(b, at, bytes, 0, 16);
            if (HasEmbeddedScope(bytes))
            {
                scope = (uint)((bytes[2] << 8) | bytes[3]);
                bytes[2] = 0;
                bytes[3] = 0;
            }

            return AddressValue.FromBytes(bytes, 0, true);
        }

        /// <summary>fe80::/10, and multicast of interface-local (ff?1) or link-local (ff?2) scope that is not unicast-prefix based.</summary>
        private static bool HasEmbeddedScope(byte[] a)
        {
            if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
            {
                return true;
            }

            if (a[0] != 0xff)
            {
                return false;
            }

            int scope = a[1] & 0x0f;
            return scope == 1 || (scope == 2 && (a[1] & 0xf0) != 0x30);
        }
    }
}
