namespace SockTools.Table.Linux
{
    /// <summary>Reads integers from byte buffers: host order for netlink fields, network order for ports.</summary>
    internal static class Wire
    {
        internal static uint U32(byte[] b, int o) => System.BitConverter.ToUInt32(b, o);

        internal static ushort U16(byte[] b, int o) => System.BitConverter.ToUInt16(b, o);

        internal static ushort BigEndianU16(byte[] b, int o) => (ushort)((b[o] << 8) | b[o + 1]);

        internal static void PutU32(byte[] b, int o, uint v)
        {
            for (int i = 0; i < 4; i++)
            {
                int shift = System.BitConverter.IsLittleEndian ? 8 * i : 8 * (3 - i);
                b[o + i] = (byte)(v >> shift);
            }
        }

        /// <summary>Network order, as the kernel wants ports in a socket id.</summary>
        internal static void PutBigEndianU16(byte[] b, int o, ushort v)
        {
            b[o] = (byte)(v >> 8);
            b[o + 1] = (byte)v;
        }

        internal static void PutU16(byte[] b, int o, ushort v)
        {
            b[o + (System.BitConverter.IsLittleEndian ? 0 : 1)] = (byte)v;
            b[o + (System.BitConverter.IsLittleEndian ? 1 : 0)] = (byte)(v >> 8);
        }
    }
}
