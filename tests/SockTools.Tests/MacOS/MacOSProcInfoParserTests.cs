using System;
using System.Buffers.Binary;
using System.Text;
using SockTools.Table;
using SockTools.Table.MacOS;
using Xunit;

namespace SockTools.Tests.MacOS;

/// <summary>
/// ProcInfoParser on what libproc writes, built from bsd/sys/proc_info.h with offsets written out here:
/// struct proc_fdinfo { int32 proc_fd; uint32 proc_fdtype } (8 bytes); struct socket_fdinfo { proc_fileinfo pfi
/// (24 bytes); socket_info psi } where psi starts with struct vinfo_stat (136 bytes), then u64 soi_so, so soi_so
/// sits at 24 + 136 = 160 of 792; struct proc_bsdshortinfo has pbsi_comm[16] at 16 of 64.
/// </summary>
public sealed class MacOSProcInfoParserTests
{
    [Fact]
    public void APidListIsAscendingWithoutItsEmptySlots()
    {
        byte[] list = Ints(512, 0, 1, 97, 0, 3);

        Assert.Equal(new[] { 1, 3, 97, 512 }, ProcInfoParser.ProcessIds(list, list.Length));
        Assert.Equal(new[] { 512 }, ProcInfoParser.ProcessIds(list, 8)); // only what was written
    }

    [Fact]
    public void APidListThatIsNotWholeIntsIsAFormatError()
    {
        byte[] list = Ints(1, 2);

        Assert.Throws<SocketTableFormatException>(() => ProcInfoParser.ProcessIds(list, 7));
        Assert.Throws<SocketTableFormatException>(() => ProcInfoParser.ProcessIds(list, 12));
    }

    [Fact]
    public void TheDescriptorListYieldsTheSocketsOnly()
    {
        // (fd, type): 0 vnode, 1 vnode, 3 socket, 4 pipe, 7 socket, 9 kqueue
        byte[] fds = Ints(0, 1, 1, 1, 3, 2, 4, 6, 7, 2, 9, 5);

        Assert.Equal(new[] { 3, 7 }, ProcInfoParser.SocketDescriptors(fds, fds.Length));
    }

    [Fact]
    public void ADescriptorListCutInsideARecordIsAFormatError()
    {
        byte[] fds = Ints(3, 2, 7, 2);

        Assert.Throws<SocketTableFormatException>(() => ProcInfoParser.SocketDescriptors(fds, 12));
        Assert.Throws<SocketTableFormatException>(() => ProcInfoParser.SocketDescriptors(fds, 20));
    }

    [Fact]
    public void TheSocketHandleIsSoiSoAt160OfSocketFdinfo()
    {
        var info = new byte[792];
        BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(160), 0x5eed_0000_0000_0042);
        BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(168), 0xdead_beef); // soi_pcb: not the key

        Assert.Equal(0x5eed_0000_0000_0042UL, ProcInfoParser.SocketHandle(info, info.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(167)]
    [InlineData(793)]
    public void ASocketFdinfoTooShortToHoldItsHandleIsAFormatError(int length)
        => Assert.Throws<SocketTableFormatException>(() => ProcInfoParser.SocketHandle(new byte[792], length));

    [Theory]
    [InlineData("launchd")]
    [InlineData("com.apple.WebKi")] // 15 characters: NUL-terminated
    [InlineData("mDNSResponderHe")]
    public void TheNameIsPbsiCommUpToItsNul(string name)
    {
        var info = new byte[64];
        Encoding.UTF8.GetBytes(name).CopyTo(info, 16);
        info[40] = 0xFF; // pbsi_flags and beyond: not part of the name

        Assert.Equal(name, ProcInfoParser.ProcessName(info, info.Length));
    }

    [Fact]
    public void ANameOfAllSixteenBytesHasNoNulAndStopsAtTheField()
    {
        var info = new byte[64];
        Encoding.UTF8.GetBytes("abcdefghijklmnop").CopyTo(info, 16);
        info[32] = (byte)'X'; // the next field

        Assert.Equal("abcdefghijklmnop", ProcInfoParser.ProcessName(info, info.Length));
    }

    [Fact]
    public void AShortInfoTooShortForTheNameIsAFormatError()
        => Assert.Throws<SocketTableFormatException>(() => ProcInfoParser.ProcessName(new byte[64], 31));

    private static byte[] Ints(params int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }
}
