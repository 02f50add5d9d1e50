using System;
using System.Net;

namespace SockTools
{
    /// <summary>
    /// An IPv4 or IPv6 address held as two integers in network bit order, so readers can fill it
    /// without allocating and filters can compare prefixes with shifts.
    /// IPv4 lives in the low 32 bits of <see cref="Low"/>.
    /// </summary>
    internal readonly struct AddressValue : IEquatable<AddressValue>
    {
        internal AddressValue(bool isV6, ulong high, ulong low)
        {
            IsV6 = isV6;
            High = high;
            Low = low;
        }

        internal bool IsV6 { get; }

        internal ulong High { get; }

        internal ulong Low { get; }

        internal static AddressValue FromV4(uint networkOrderValue) => new AddressValue(false, 0, networkOrderValue);

        /// <summary>Reads 4 (IPv4) or 16 (IPv6) bytes in network order.</summary>
        internal static AddressValue FromBytes(byte[] buffer, int offset, bool isV6)
        {
            if (!isV6)
            {
                return FromV4(ReadBigEndian32(buffer, offset));
            }

            ulong high = ((ulong)ReadBigEndian32(buffer, offset) << 32) | ReadBigEndian32(buffer, offset + 4);
            ulong low = ((ulong)ReadBigEndian32(buffer, offset + 8) << 32) | ReadBigEndian32(buffer, offset + 12);
            return new AddressValue(true, high, low);
        }

        internal static AddressValue FromIPAddress(IPAddress address)
        {
            byte[] bytes = address.GetAddressBytes();
            return FromBytes(bytes, 0, bytes.Length == 16);
        }

        /// <summary>True for ::ffff:a.b.c.d, the form IPv4 peers take on a dual-stack IPv6 socket.</summary>
        internal bool IsV4Mapped => IsV6 && High == 0 && (Low >> 32) == 0xFFFF;

        /// <summary>The IPv4 address inside an IPv4-mapped IPv6 address, else this address.</summary>
        internal AddressValue Unmapped => IsV4Mapped ? FromV4((uint)Low) : this;

        internal bool IsAny => High == 0 && Low == 0;

        internal bool IsLoopback
        {
            get
            {
                AddressValue plain = Unmapped;
                return plain.IsV6 ? plain.High == 0 && plain.Low == 1 : (plain.Low >> 24) == 127;
            }
        }

        internal Exposure Exposure => IsAny ? Exposure.AllInterfaces : IsLoopback ? Exposure.Loopback : Exposure.Address;

        internal IPAddress ToIPAddress(long scopeId = 0)
        {
            if (!IsV6)
            {
                var v4 = new byte[4];
                WriteBigEndian32(v4, 0, (uint)Low);
                return new IPAddress(v4);
            }

            var v6 = new byte[16];
            WriteBigEndian32(v6, 0, (uint)(High >> 32));
            WriteBigEndian32(v6, 4, (uint)High);
            WriteBigEndian32(v6, 8, (uint)(Low >> 32));
            WriteBigEndian32(v6, 12, (uint)Low);
            return new IPAddress(v6, scopeId);
        }

        /// <summary>Writes the 4 (IPv4) or 16 (IPv6) bytes in network order, the form <see cref="FromBytes"/> reads.</summary>
        internal void CopyTo(byte[] buffer, int offset)
        {
            if (!IsV6)
            {
                WriteBigEndian32(buffer, offset, (uint)Low);
                return;
            }

            WriteBigEndian32(buffer, offset, (uint)(High >> 32));
            WriteBigEndian32(buffer, offset + 4, (uint)High);
            WriteBigEndian32(buffer, offset + 8, (uint)(Low >> 32));
            WriteBigEndian32(buffer, offset + 12, (uint)Low);
        }

        /// <summary>Canonical text: 127.0.0.1, ::1, ::ffff:10.0.0.1.</summary>
        public override string ToString() => ToIPAddress().ToString();

        public bool Equals(AddressValue other) => IsV6 == other.IsV6 && High == other.High && Low == other.Low;

        public override bool Equals(object? obj) => obj is AddressValue other && Equals(other);

        public override int GetHashCode() => (High ^ Low ^ (IsV6 ? 1UL : 0UL)).GetHashCode();

        private static uint ReadBigEndian32(byte[] b, int o)
            => ((uint)b[o] << 24) | ((uint)b[o + 1] << 16) | ((uint)b[o + 2] << 8) | b[o + 3];

        private static void WriteBigEndian32(byte[] b, int o, uint v)
        {
            b[o] = (byte)(v >> 24);
            b[o + 1] = (byte)(v >> 16);
            b[o + 2] = (byte)(v >> 8);
            b[o + 3] = (byte)v;
        }
    }
}
