using System.Collections.Generic;
using System.IO;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// UnixProcNetParser and ReadUnixFile on lines as the kernel prints them in /proc/net/unix:
/// "%pK: %08X %08X %08X %04X %02X %5lu" and the name; Flags 00010000 is a listener, St 03 connected.
/// </summary>
public sealed class UnixProcNetParserTests
{
    private const string Header = "Num       RefCount Protocol Flags    Type St Inode Path";
    private const string Listener = "000000006a4962dc: 00000002 00000000 00010000 0001 01 2250547 /run/docker.sock";
    private const string Connected = "00000000805138a0: 00000003 00000000 00000000 0001 03  1057";
    private const string Datagram = "00000000cdf397cf: 00000002 00000000 00000000 0002 01 2261337 /run/systemd/notify";
    private const string Abstract = "00000000b9cdd09d: 00000002 00000000 00010000 0005 01 2261340 @sx-l@x";
    private const string NotAccepted = "00000000adc190c7: 00000003 00000000 00000000 0001 02     0 @sx-l@x";
    private const string Spaces = "00000000c5812507: 00000002 00000000 00010000 0001 01 2261339 /tmp/with two  spaces";

    private static SocketRecord Parse(string line)
    {
        Assert.True(UnixProcNetParser.TryParseLine(line, out SocketRecord row));
        return row;
    }

    [Fact]
    public void ReadsAListener()
    {
        SocketRecord row = Parse(Listener);

        Assert.Equal(SocketProtocol.Unix, row.Protocol);
        Assert.Equal(SocketState.Listen, row.State);
        Assert.Equal(2250547UL, row.Inode);
        Assert.Equal("/run/docker.sock", row.Unix!.Path);
        Assert.Equal(UnixSocketType.Stream, row.Unix.Type);
        Assert.Equal(0UL, row.Unix.PeerInode);
        Assert.Equal(UnseenFields.Timer | UnseenFields.Retransmits | UnseenFields.Queues | UnseenFields.UserId, row.Unseen);
    }

    [Fact]
    public void ReadsStatesKindsAndNames()
    {
        Assert.Equal(SocketState.Established, Parse(Connected).State);
        Assert.Null(Parse(Connected).Unix!.Path);
        Assert.Equal(SocketState.Unconnected, Parse(Datagram).State);
        Assert.Equal(UnixSocketType.Datagram, Parse(Datagram).Unix!.Type);
        Assert.Equal("@sx-l@x", Parse(Abstract).Unix!.Path);
        Assert.Equal(UnixSocketType.SeqPacket, Parse(Abstract).Unix!.Type);
        Assert.Equal("/tmp/with two  spaces", Parse(Spaces).Unix!.Path);
    }

    [Fact]
    public void SkipsASocketWithoutAFileAsNetlinkDoes()
    {
        Assert.False(UnixProcNetParser.TryParseLine(NotAccepted, out _));
    }

    [Theory]
    [InlineData("00000000805138a0: 00000003 00000000 00000000 0001 03")]
    [InlineData("00000000805138a0: 00000003 00000000 zz 0001 03 1057")]
    [InlineData("00000000805138a0: 00000003 00000000 00000000 0003 03 1057")]
    [InlineData("00000000805138a0: 00000003 00000000 00000000 0001 03 -5")]
    public void RefusesLinesThatAreNotSocketLines(string line)
    {
        Assert.Throws<SocketTableFormatException>(() => UnixProcNetParser.TryParseLine(line, out _));
    }

    [Fact]
    public void ReadsAWholeFileJoiningANameThatHoldsANewline()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, new[]
            {
                Header, Listener, NotAccepted, "continues the skipped socket's name", Connected,
                "00000000cdf397cf: 00000002 00000000 00000000 0002 01 77 /tmp/first", "second line", Abstract,
            });
            var rows = new List<SocketRecord>();
            ProcNetReader.ReadUnixFile(path, null, rows);

            Assert.Equal(new ulong[] { 2250547, 1057, 77, 2261340 }, rows.ConvertAll(r => r.Inode));
            Assert.Equal("/tmp/first\nsecond line", rows[2].Unix!.Path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ASocketThePagedFilePrintsTwiceIsOneRow()
    {
        string path = Path.GetTempFileName();
        try
        {
            // The kernel prints the file a page at a time; a socket closed between two pages shifts the rest, so one
            // already printed can come again at the top of the next page.
            File.WriteAllLines(path, new[] { Header, Listener, Connected, Listener, Abstract });
            var rows = new List<SocketRecord>();
            ProcNetReader.ReadUnixFile(path, null, rows);

            Assert.Equal(new ulong[] { 2250547, 1057, 2261340 }, rows.ConvertAll(r => r.Inode));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
