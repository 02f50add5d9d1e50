using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using CsCheck;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// Property-based tests (CsCheck): whatever bytes or text the parsers are given, the only exceptions
/// are the reader's own (<see cref="SocketTableFormatException"/>, <see cref="NetlinkErrorException"/>),
/// never IndexOutOfRange, Argument or Overflow exceptions; and well-formed input round-trips exactly.
/// A failure prints the shrunk input and the seed to replay it with.
/// </summary>
public sealed class ParserPropertyTests
{
    private const long Iterations = 20_000;

    private static readonly string[] CapturedFixtures =
    {
        "tcp4-loopback.bin", "tcp6-loopback.bin", "udp4-loopback.bin", "udp6-loopback.bin", "error-einval.bin", "done-enoent.bin",
    };

    private static readonly string[] ValidLines =
    {
        "   0: 0100007F:0277 00000000:0000 0A 00000000:00000003 00:00000000 00000000  1000        0 31337 1 0000000000000000 100 0 0 10 0                       ",
        "   1: 0100007F:8522 0100007F:9E8B 06 00000000:00000000 03:00000ABF 00000000     0        0 0 3 0000000009092093",
        "   1: 0000000000000000FFFF00000100007F:D24A 0000000000000000FFFF00000100007F:9D15 06 00000000:00000000 03:00000ACC 00000000     0        0 0 3 00000000654bc43e",
        "   2: 000080FE00000000FF27000AA1664EFE:0016 000080FE000000000000000002000000:C350 01 00000000:00000000 02:000AFC80 00000000     0        0 61234 2 0000000000000000 20 4 31 10 -1",
        "  123: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        0 20711 2 0000000000000000 0        ",
    };

    // ---- netlink ----

    [Fact]
    public void RandomBytesRaiseOnlyReaderErrors()
    {
        Gen.Byte.Array[0, 600].Sample(bytes => ParseNetlink(bytes, bytes.Length), iter: Iterations);
    }

    [Fact]
    public void RandomMessageSequencesRaiseOnlyReaderErrors()
    {
        // Plausible headers around random payloads reach far deeper than uniform noise does.
        GenMessages.Sample(bytes => ParseNetlink(bytes, bytes.Length), iter: Iterations);
    }

    [Fact]
    public void EveryTruncationOfTheCapturedRepliesRaisesOnlyReaderErrors()
    {
        foreach (string name in CapturedFixtures)
        {
            byte[] buffer = Fixture.Bytes(name);
            for (int length = 0; length <= buffer.Length; length++)
            {
                ParseNetlink(buffer, length);
                ParseNetlink(buffer.AsSpan(0, length).ToArray(), length);
            }
        }
    }

    [Fact]
    public void TruncatedAndMutatedRepliesRaiseOnlyReaderErrors()
    {
        var gen = Gen.Select(Gen.Int[0, CapturedFixtures.Length - 1], Gen.Int[0, 1000], Gen.Select(Gen.Int[0, 1000], Gen.Byte).Array[0, 6]);
        gen.Sample((fixture, cut, mutations) =>
        {
            byte[] buffer = Fixture.Bytes(CapturedFixtures[fixture]);
            foreach ((int at, byte value) in mutations)
            {
                buffer[at % buffer.Length] = value;
            }

            ParseNetlink(buffer.AsSpan(0, cut % (buffer.Length + 1)).ToArray(), cut % (buffer.Length + 1));
        }, iter: Iterations);
    }

    [Fact]
    public void LengthArgumentOutsideTheBufferRaisesOnlyReaderErrors()
    {
        Gen.Select(Gen.Byte.Array[0, 100], Gen.Int).Sample((bytes, length) => ParseNetlink(bytes, length), iter: Iterations);
    }

    [Fact]
    public void WellFormedRowsRoundTrip()
    {
        GenDiagRow.Sample(row =>
        {
            byte[] buffer = NetlinkFixtureBuilder.Create().SocketWithUsualAttributes(row).Done().Build();
            var rows = new List<SocketRecord>();

            Assert.True(InetDiagParser.Parse(buffer, buffer.Length, SocketProtocol.Tcp, null, rows));
            SocketRecord r = Assert.Single(rows);
            Assert.Equal(row.Family == 10, r.IsV6);
            Assert.Equal(KernelStates.ToSocketState(SocketProtocol.Tcp, row.State), r.State);
            Assert.Equal(KernelStates.ToSocketTimer(row.Timer), r.Timer);
            Assert.Equal(row.Retransmits, r.Retransmits);
            Assert.Equal(row.LocalPort, r.LocalPort);
            Assert.Equal(row.RemotePort, r.RemotePort);
            Assert.Equal(row.LocalAddress, r.LocalAddress.ToIPAddress());
            Assert.Equal(row.RemoteAddress, r.RemoteAddress.ToIPAddress());
            Assert.Equal(row.InterfaceIndex, r.InterfaceIndex);
            Assert.Equal(row.Cookie, r.Cookie);
            Assert.Equal(row.Expires, r.TimerExpiresMs);
            Assert.Equal(row.ReceiveQueue, r.ReceiveQueue);
            Assert.Equal(row.SendQueue, r.SendQueue);
            Assert.Equal(row.Uid, r.Uid);
            Assert.Equal(row.Inode, r.Inode);
        }, iter: 5_000);
    }

    // ---- /proc/net ----

    [Fact]
    public void RandomTextRaisesOnlyReaderErrors()
    {
        Gen.Select(Gen.String, Gen.Bool, Gen.Bool).Sample((line, udp, v6) => ParseProc(line, udp, v6), iter: Iterations);
    }

    [Fact]
    public void RandomLineLikeTextRaisesOnlyReaderErrors()
    {
        var text = Gen.Char["0123456789ABCDEFabcdef:  -x\t"].Array[0, 200].Select(c => new string(c));
        Gen.Select(text, Gen.Bool, Gen.Bool).Sample((line, udp, v6) => ParseProc(line, udp, v6), iter: Iterations);
    }

    [Fact]
    public void EveryTruncationOfValidLinesRaisesOnlyReaderErrors()
    {
        foreach (string line in ValidLines.Concat(ValidLines.Select(l => l.TrimEnd())))
        {
            for (int length = 0; length <= line.Length; length++)
            {
                ParseProc(line.Substring(0, length), udp: false, v6: line.Contains("FFFF0000", StringComparison.Ordinal) || line.Contains("FE", StringComparison.Ordinal));
                ParseProc(line.Substring(0, length), udp: true, v6: false);
            }
        }
    }

    [Fact]
    public void MutatedValidLinesRaiseOnlyReaderErrors()
    {
        var edit = Gen.Select(Gen.Int[0, 400], Gen.Char["0123456789ABCDEFGZfz: -\u0663\uFF10\0"], Gen.Int[0, 2]);
        Gen.Select(Gen.Int[0, ValidLines.Length - 1], edit.Array[1, 8], Gen.Bool).Sample((which, edits, v6) =>
        {
            var line = new System.Text.StringBuilder(ValidLines[which]);
            foreach ((int at, char c, int kind) in edits)
            {
                int i = at % (line.Length + 1);
                switch (kind)
                {
                    case 0 when i < line.Length: line[i] = c; break;       // replace
                    case 1: line.Insert(i, c); break;                    // insert
                    default: if (i < line.Length) line.Remove(i, 1); break; // delete
                }
            }

            ParseProc(line.ToString(), udp: false, v6);
        }, iter: Iterations);
    }

    [Fact]
    public void WellFormedLinesRoundTrip()
    {
        // The kernel's format, printed here from random field values; the parser must give them all back.
        var addresses = Gen.Bool.SelectMany(v6 => Gen.Byte.Array[v6 ? 16 : 4].Array[2].Select(a => (v6, a[0], a[1])));
        // Retransmits: the kernel prints icsk_retransmits, a byte, in its 8 hex digits (and the row keeps a byte).
        var numbers = Gen.Select(Gen.UShort, Gen.UShort, Gen.Byte[1, 12], Gen.UInt, Gen.UInt, Gen.Byte[0, 4], GenTicks, Gen.Byte.Select(b => (uint)b));
        var owner = Gen.Select(Gen.UInt, Gen.ULong, Gen.Int[0, 99_999], Gen.Bool);
        Gen.Select(addresses, numbers, owner).Sample((address, number, who) =>
        {
            var (v6, local, remote) = address;
            var (localPort, remotePort, state, tx, rx, timer, ticks, retransmits) = number;
            var (uid, inode, slot, udp) = who;
            string line = string.Format(
                CultureInfo.InvariantCulture,
                "{0,4}: {1}:{2:X4} {3}:{4:X4} {5:X2} {6:X8}:{7:X8} {8:X2}:{9:X8} {10:X8} {11,5} {12,8} {13} 2 ffff8880043d0000 100 0 0 10 0",
                slot, KernelHex(local), localPort, KernelHex(remote), remotePort, state, tx, rx, timer, ticks, retransmits, uid, 0, inode);
            SocketProtocol protocol = udp ? SocketProtocol.Udp : SocketProtocol.Tcp;

            SocketRecord r = ProcNetParser.ParseLine(line, protocol, v6);

            Assert.Equal(protocol, r.Protocol);
            Assert.Equal(v6, r.IsV6);
            Assert.Equal(new IPAddress(local), r.LocalAddress.ToIPAddress());
            Assert.Equal(new IPAddress(remote), r.RemoteAddress.ToIPAddress());
            Assert.Equal(localPort, r.LocalPort);
            Assert.Equal(remotePort, r.RemotePort);
            Assert.Equal(KernelStates.ToSocketState(protocol, (byte)state), r.State);
            Assert.Equal(state == KernelStates.Listen && !udp ? null : tx, r.SendQueue);
            Assert.Equal(rx, r.ReceiveQueue);
            Assert.Equal(KernelStates.ToSocketTimer((byte)timer), r.Timer);
            Assert.Equal(timer == 0 ? 0u : (uint)UInt128.Min(uint.MaxValue, (UInt128)ticks * 10), r.TimerExpiresMs);
            Assert.Equal(retransmits, r.Retransmits);
            Assert.Equal(uid, r.Uid);
            Assert.Equal(inode, r.Inode);
        }, iter: 10_000);
    }

    /// <summary>
    /// Timer ticks: mostly realistic, sometimes anywhere in the 64 bits %08lX can print, and sometimes just
    /// past a multiple of 2^64 / 10, where ticks * 10 milliseconds wraps a ulong around to a small number.
    /// </summary>
    private static readonly Gen<ulong> GenTicks = Gen.Frequency(
        (4, Gen.ULong[0, 100_000]),
        (1, Gen.ULong[uint.MaxValue / 10 - 2, uint.MaxValue / 10 + 2]),
        (1, Gen.Select(Gen.Int[1, 9], Gen.ULong[0, 400_000_000]).Select((k, d) => (ulong)((((UInt128)k << 64) / 10) + 1 + d))),
        (2, Gen.ULong));

    private static readonly Gen<DiagRow> GenDiagRow =
        Gen.Select(
            Gen.Bool.SelectMany(v6 => Gen.Byte.Array[v6 ? 16 : 4].Array[2].Select(a => (v6, a[0], a[1]))),
            Gen.Select(Gen.Byte[1, 12], Gen.Byte, Gen.Byte, Gen.UShort, Gen.UShort, Gen.UInt, Gen.ULong),
            Gen.Select(Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt, Gen.UInt))
        .Select((address, head, tail) => new DiagRow
        {
            Family = address.v6 ? (byte)10 : (byte)2,
            LocalAddress = new IPAddress(address.Item2),
            RemoteAddress = new IPAddress(address.Item3),
            State = head.Item1,
            Timer = head.Item2,
            Retransmits = head.Item3,
            LocalPort = head.Item4,
            RemotePort = head.Item5,
            InterfaceIndex = head.Item6,
            Cookie = head.Item7,
            Expires = tail.Item1,
            ReceiveQueue = tail.Item2,
            SendQueue = tail.Item3,
            Uid = tail.Item4,
            Inode = tail.Item5,
        });

    /// <summary>1-6 netlink messages with plausible types and families, random payloads and sometimes lying lengths.</summary>
    private static readonly Gen<byte[]> GenMessages =
        Gen.Select(
            Gen.OneOfConst<ushort>(1, 2, 3, 20, 20, 20, 0xFFFF),
            Gen.Byte.Array[0, 160],
            Gen.OneOfConst<byte>(2, 10, 2, 10, 0, 1, 255),
            Gen.Byte[0, 14],
            Gen.Frequency((6, Gen.Const(0)), (1, Gen.Int[-20, 20]), (1, Gen.Int)))
        .Select((type, payload, family, state, lengthError) =>
        {
            if (type == 20 && payload.Length >= 2)
            {
                payload[0] = family;
                payload[1] = state;
            }

            var builder = NetlinkFixtureBuilder.Create();
            builder.Message(type, payload, lengthOverride: 16 + payload.Length + lengthError);
            return builder.Build();
        })
        .Array[1, 6]
        .Select(messages => messages.SelectMany(m => m).ToArray());

    /// <summary>An address as /proc/net prints it: each 32-bit word with %08X in host byte order.</summary>
    private static string KernelHex(byte[] address)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < address.Length; i += 4)
        {
            text.Append(BitConverter.ToUInt32(address, i).ToString("X8", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static void ParseNetlink(byte[] buffer, int length)
    {
        try
        {
            var rows = new List<SocketRecord>();
            InetDiagParser.Parse(buffer, length, SocketProtocol.Tcp, null, rows);
            Assert.All(rows, r => Assert.True(Enum.IsDefined(r.State)));
        }
        catch (SocketTableFormatException)
        {
        }
        catch (NetlinkErrorException)
        {
        }
    }

    private static void ParseProc(string line, bool udp, bool v6)
    {
        try
        {
            SocketRecord row = ProcNetParser.ParseLine(line, udp ? SocketProtocol.Udp : SocketProtocol.Tcp, v6);
            Assert.True(Enum.IsDefined(row.State));
            Assert.Equal(v6, row.IsV6);
        }
        catch (SocketTableFormatException)
        {
        }
    }
}
