using System.Collections.Generic;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>sk_meminfo (INET_DIAG_SKMEMINFO, UNIX_DIAG_MEMINFO): every value where the kernel sends it, none where it does not.</summary>
public sealed class SocketMemoryParserTests
{
    private static byte[] Values(params uint[] values)
    {
        var b = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            NetlinkFixtureBuilder.PutU32(b, 4 * i, values[i]);
        }

        return b;
    }

    [Fact]
    public void ReadsTheNineValuesInTheKernelsOrder()
    {
        byte[] b = Values(1, 2, 3, 4, 5, 6, 7, 8, 9);
        SocketMemory m = SocketMemoryParser.Parse(b, 0, b.Length);

        Assert.Equal(new long?[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 },
            new[] { m.ReceiveBufferUsed, m.ReceiveBufferLimit, m.SendBufferUsed, m.SendBufferLimit, m.ForwardAlloc, m.SendQueued, m.OptionMemory, m.Backlog, m.Drops });
    }

    [Fact]
    public void LeavesWhatAnOldKernelDoesNotSendNull()
    {
        byte[] b = Values(1, 2, 3, 4, 5, 6, 7, 8); // before the drop counter (kernel 4.7)
        SocketMemory m = SocketMemoryParser.Parse(b, 0, b.Length);

        Assert.Equal(8, m.Backlog);
        Assert.Null(m.Drops);
        Assert.Null(SocketMemoryParser.Parse(b, 0, 3).ReceiveBufferUsed); // not even one whole value
    }

    [Fact]
    public void InetDiagParserTakesTheAttributeForUdpAndTcp()
    {
        byte[] reply = NetlinkFixtureBuilder.Create()
            .Socket(new DiagRow { State = 7, LocalPort = 53, Inode = 9 }, NetlinkFixtureBuilder.Attribute(InetDiag.INET_DIAG_SKMEMINFO, Values(0, 4608, 0, 212992, 0, 0, 0, 0, 1234)))
            .Socket(new DiagRow { State = 7, LocalPort = 54, Inode = 10 })
            .Done().Build();
        var rows = new List<SocketRecord>();

        Assert.True(InetDiagParser.Parse(reply, reply.Length, SocketProtocol.Udp, null, rows));
        Assert.Equal(1234, rows[0].Memory!.Drops);
        Assert.Equal(4608, rows[0].Memory!.ReceiveBufferLimit);
        Assert.Null(rows[1].Memory);
    }

    [Fact]
    public void TheRequestAsksForTheMemoryAttributeOnlyWhenTold()
    {
        byte[] plain = InetDiagRequest.Dump(InetDiag.AF_INET, InetDiag.IPPROTO_UDP, 0x80, 1);
        byte[] memory = InetDiagRequest.Dump(InetDiag.AF_INET, InetDiag.IPPROTO_UDP, 0x80, 1, extensions: InetDiag.MemoryInfoExtension);

        Assert.Equal(0, plain[18]);
        Assert.Equal(1 << 6, memory[18]); // idiag_ext bit INET_DIAG_SKMEMINFO - 1
    }
}
