using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SockTools
{
    /// <summary>
    /// An IP address or a CIDR range, as -LocalAddress and -RemoteAddress take it:
    /// 127.0.0.1, ::1, [::1], 10.0.0.0/8, fe80::/10. PowerShell converts strings through <see cref="Parse"/>.
    /// An IPv4 range also matches IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) on dual-stack sockets.
    /// </summary>
    public sealed class AddressRange
    {
        private const string ValidForms = "Use an address such as 127.0.0.1 or ::1, or a CIDR range such as 10.0.0.0/8 or fe80::/10";

        private readonly AddressValue _network;

        private AddressRange(AddressValue network, int prefixLength, string text)
        {
            _network = Truncate(network, prefixLength);
            PrefixLength = prefixLength;
            Text = text;
        }

        /// <summary>The network address (host bits cleared).</summary>
        public IPAddress Network => _network.ToIPAddress();

        /// <summary>Number of leading bits that must match: 32 or 128 for a single address.</summary>
        public int PrefixLength { get; }

        private string Text { get; }

        /// <summary>Parses an address or CIDR range; the message of a failure says what is valid.</summary>
        public static AddressRange Parse(string text)
        {
            if (TryParse(text, out AddressRange? range, out string? problem))
            {
                return range!;
            }

            throw new FormatException(problem);
        }

        internal static bool TryParse(string? text, out AddressRange? range, out string? problem)
        {
            range = null;
            string input = (text ?? string.Empty).Trim();
            string addressPart = input;
            int? prefix = null;

            int slash = input.IndexOf('/');
            if (slash >= 0)
            {
                addressPart = input.Substring(0, slash);
                string prefixText = input.Substring(slash + 1);
                if (!int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out int parsedPrefix))
                {
                    problem = $"'{input}' has no valid prefix length after '/'. {ValidForms}.";
                    return false;
                }

                prefix = parsedPrefix;
            }

            if (addressPart.Length > 1 && addressPart[0] == '[' && addressPart[addressPart.Length - 1] == ']')
            {
                addressPart = addressPart.Substring(1, addressPart.Length - 2);
            }

            // IPAddress.TryParse accepts "1" or "10.1" as IPv4 shorthands; demand a full dotted quad or a colon form.
            bool looksLikeAddress = addressPart.IndexOf(':') >= 0 || addressPart.Split('.').Length == 4;
            if (!looksLikeAddress || !IPAddress.TryParse(addressPart, out IPAddress? address))
            {
                problem = $"'{input}' is not an IP address or CIDR range. {ValidForms}.";
                return false;
            }

            int maxPrefix = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
            int length = prefix ?? maxPrefix;
            if (length > maxPrefix)
            {
                problem = $"'{input}' has prefix length {length}, but an {(maxPrefix == 32 ? "IPv4" : "IPv6")} prefix is 0 to {maxPrefix}. {ValidForms}.";
                return false;
            }

            range = new AddressRange(AddressValue.FromIPAddress(address), length, input);
            problem = null;
            return true;
        }

        /// <summary>True when the address lies inside this range.</summary>
        public bool Contains(IPAddress address) => Contains(AddressValue.FromIPAddress(address));

        internal bool Contains(AddressValue address)
        {
            if (_network.IsV6 != address.IsV6)
            {
                // A v4 range matches a v4-mapped v6 address; a v6 range never matches a plain v4 one
                // except ::ffff:0:0/96-style ranges, which match through the mapped form.
                if (_network.IsV6)
                {
                    address = new AddressValue(true, 0, 0xFFFF00000000UL | address.Low);
                }
                else if (address.IsV4Mapped)
                {
                    address = address.Unmapped;
                }
                else
                {
                    return false;
                }
            }

            return Truncate(address, PrefixLength).Equals(_network);
        }

        /// <summary>The text the range was given as.</summary>
        public override string ToString() => Text;

        private static AddressValue Truncate(AddressValue value, int prefixLength)
        {
            if (!value.IsV6)
            {
                uint mask = prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
                return AddressValue.FromV4((uint)value.Low & mask);
            }

            ulong highMask = prefixLength >= 64 ? ulong.MaxValue : prefixLength == 0 ? 0 : ulong.MaxValue << (64 - prefixLength);
            ulong lowMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - prefixLength);
            return new AddressValue(true, value.High & highMask, value.Low & lowMask);
        }
    }
}
