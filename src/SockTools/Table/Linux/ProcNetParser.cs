using System;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Parses one line of /proc/net/{tcp,tcp6,udp,udp6} (the kernel's tcp4_seq_show and friends):
    /// "sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...", addresses and ports in hex.
    /// Pure: a string in, a row out, so it is tested on line fixtures.
    /// </summary>
    internal static class ProcNetParser
    {
        /// <summary>Clock ticks per second of tm->when (USER_HZ, 100 on every Linux ABI).</summary>
        private const uint UserHz = 100;

        /// <summary>True for the column header line that starts every file.</summary>
        internal static bool IsHeader(string line) => line.TrimStart().StartsWith("sl", StringComparison.Ordinal);

        /// <exception cref="SocketTableFormatException">The line is not a socket line of that file.</exception>
        internal static SocketRecord ParseLine(string line, SocketProtocol protocol, bool isV6)
        {
            var cursor = new Cursor(line);
            cursor.SkipSlot();
            var row = new SocketRecord { Protocol = protocol };

            row.LocalAddress = cursor.Address(isV6);
            cursor.Expect(':');
            row.LocalPort = (ushort)cursor.Hex(4);
            row.RemoteAddress = cursor.Address(isV6);
            cursor.Expect(':');
            row.RemotePort = (ushort)cursor.Hex(4);

            ulong state = cursor.Hex(2);
            if (state < KernelStates.Established || state > KernelStates.NewSynReceived)
            {
                throw new SocketTableFormatException($"Unknown socket state {state} in line: {line.Trim()}");
            }

            row.State = KernelStates.ToSocketState(protocol, (byte)state);
            uint sendQueue = (uint)cursor.Hex(8);
            cursor.Expect(':');
            row.ReceiveQueue = (uint)cursor.Hex(8);

            // A listener's tx_queue here is always 0; its real Send-Q (the backlog limit, as ss shows it)
            // is visible only through netlink, so it is unknown rather than a misleading 0.
            row.SendQueue = state == KernelStates.Listen && protocol == SocketProtocol.Tcp ? null : sendQueue;

            byte timer = (byte)cursor.Hex(2);
            row.Timer = KernelStates.ToSocketTimer(timer);
            cursor.Expect(':');
            ulong ticks = cursor.HexUpTo(16); // %08lX of a long: more digits on 64-bit when large
            // Saturate before multiplying: ticks * 10 wrapped for ticks above ulong.MaxValue / 10
            // (a 16-digit value), so 0x199999999999999A ticks came out as 4 ms instead of uint.MaxValue.
            const ulong msPerTick = 1000 / UserHz;
            row.TimerExpiresMs = timer == 0 ? 0 : ticks > uint.MaxValue / msPerTick ? uint.MaxValue : (uint)(ticks * msPerTick);
            row.Retransmits = (uint)cursor.Hex(8);
            row.Uid = (uint)cursor.Decimal();
            cursor.Decimal(); // timeout (probes out)
            row.Inode = cursor.Decimal();
            return row;
        }

        /// <summary>A forward-only reader over one line; every failure names the line.</summary>
        private struct Cursor
        {
            private readonly string _line;
            private int _at;

            internal Cursor(string line)
            {
                _line = line;
                _at = 0;
            }

            internal void SkipSlot()
            {
                SkipSpaces();
                while (_at < _line.Length && _line[_at] != ':')
                {
                    if (!char.IsDigit(_line[_at]))
                    {
                        Fail("a slot number");
                    }

                    _at++;
                }

                Expect(':');
            }

            internal void Expect(char c)
            {
                if (_at >= _line.Length || _line[_at] != c)
                {
                    Fail($"'{c}'");
                }

                _at++;
            }

            internal ulong Hex(int digits)
            {
                SkipSpaces();
                ulong value = 0;
                int start = _at;
                while (_at < _line.Length && _at - start < 16 && HexDigit(_line[_at]) >= 0)
                {
                    value = (value << 4) | (uint)HexDigit(_line[_at]);
                    _at++;
                }

                if (_at - start != digits)
                {
                    Fail($"{digits} hex digits");
                }

                return value;
            }

            internal ulong HexUpTo(int maxDigits)
            {
                SkipSpaces();
                ulong value = 0;
                int start = _at;
                while (_at < _line.Length && _at - start < maxDigits && HexDigit(_line[_at]) >= 0)
                {
                    value = (value << 4) | (uint)HexDigit(_line[_at]);
                    _at++;
                }

                if (_at == start)
                {
                    Fail("hex digits");
                }

                return value;
            }

            internal ulong Decimal()
            {
                SkipSpaces();
                ulong value = 0;
                int start = _at;
                while (_at < _line.Length && _line[_at] >= '0' && _line[_at] <= '9' && _at - start < 20)
                {
                    value = unchecked((value * 10) + (uint)(_line[_at] - '0'));
                    _at++;
                }

                if (_at == start || (_at < _line.Length && _line[_at] != ' '))
                {
                    Fail("a decimal number");
                }

                return value;
            }

            /// <summary>
            /// The kernel prints each 32-bit word of the address with %08X in host byte order,
            /// so on little-endian machines every word's bytes come out reversed.
            /// </summary>
            internal AddressValue Address(bool isV6)
            {
                SkipSpaces();
                var bytes = new byte[16];
                int words = isV6 ? 4 : 1;
                for (int w = 0; w < words; w++)
                {
                    uint word = (uint)HexAt(8);
                    for (int i = 0; i < 4; i++)
                    {
                        int shift = BitConverter.IsLittleEndian ? 8 * i : 8 * (3 - i);
                        bytes[(w * 4) + i] = (byte)(word >> shift);
                    }
                }

                return AddressValue.FromBytes(bytes, 0, isV6);
            }

            private ulong HexAt(int digits)
            {
                ulong value = 0;
                for (int i = 0; i < digits; i++, _at++)
                {
                    int d = _at < _line.Length ? HexDigit(_line[_at]) : -1;
                    if (d < 0)
                    {
                        Fail("an address in hex");
                    }

                    value = (value << 4) | (uint)d;
                }

                return value;
            }

            private void SkipSpaces()
            {
                while (_at < _line.Length && _line[_at] == ' ')
                {
                    _at++;
                }
            }

            private static int HexDigit(char c) => c >= '0' && c <= '9' ? c - '0'
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : -1;

            private void Fail(string expected)
                => throw new SocketTableFormatException($"Expected {expected} at column {_at} of /proc/net line: {_line.Trim()}");
        }
    }
}
