using System;
using SockTools.Table;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// The entry stays small (half a million of them are kept by `$r = Get-SockConnection`), and the values it folds
/// together to be small read back as they were given.
/// </summary>
public sealed class SocketEntryLayoutTests
{
    private static SocketRecord TcpRow(ulong inode)
        => new SocketRecord
        {
            Protocol = SocketProtocol.Tcp,
            State = SocketState.Established,
            LocalAddress = AddressValue.FromV4(0x7F00_0001),
            RemoteAddress = AddressValue.FromV4(0x7F00_0001),
            LocalPort = 40000,
            RemotePort = 5432,
            Inode = inode,
        };

    [Fact]
    public void AnEntryOfADefaultReadTakesAtMost96Bytes()
    {
        var addresses = new AddressTextCache();
        var cards = new OwnerCardCache();
        SocketRecord row = TcpRow(4242);
        var owner = new EntryOwner(100, "server", null, 0, null);
        GC.KeepAlive(SocketEntry.Of(in row, in owner, "root", addresses, cards)); // address text and owner card are made once per read and owner, not per entry
        long before = GC.GetAllocatedBytesForCurrentThread();
        SocketEntry entry = SocketEntry.Of(in row, in owner, "root", addresses, cards);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(entry);
        Assert.True(bytes <= 96, $"an entry took {bytes} bytes; every 8 more cost about 12 ms at 500,000 sockets");
    }

    [Fact]
    public void EntriesShareAnOwnerCardOnlyWhileEverySharedValueIsTheSame()
    {
        var addresses = new AddressTextCache();
        var cards = new OwnerCardCache();
        SocketRecord row = TcpRow(1);
        row.Uid = 1000;
        var server = new EntryOwner(100, "server", null, 0, null);
        SocketEntry first = SocketEntry.Of(in row, in server, "alice", addresses, cards);
        SocketEntry same = SocketEntry.Of(in row, in server, "alice", addresses, cards);
        Assert.Equal((100, "server", 1000L, "alice"), (same.ProcessId, same.ProcessName, same.UserId, same.UserName));

        row.Uid = 1001; // the same process holding a socket another user created
        SocketEntry otherUser = SocketEntry.Of(in row, in server, "bob", addresses, cards);
        Assert.Equal((100, 1001L, "bob"), (otherUser.ProcessId, otherUser.UserId, otherUser.UserName));

        var client = new EntryOwner(200, "client", null, 0, null);
        SocketEntry otherProcess = SocketEntry.Of(in row, in client, "bob", addresses, cards);
        Assert.Equal((200, "client"), (otherProcess.ProcessId, otherProcess.ProcessName));

        row.Inode = 0; // TIME_WAIT: no owner, no user
        row.Uid = 0;
        SocketEntry timeWait = SocketEntry.Of(in row, EntryOwner.None, null, addresses, cards);
        Assert.Equal(((int?)null, (string?)null, (long?)null, (string?)null), (timeWait.ProcessId, timeWait.ProcessName, timeWait.UserId, timeWait.UserName));

        // The earlier entries kept their own values.
        Assert.Equal((100, 1000L, "alice"), (first.ProcessId, first.UserId, first.UserName));
        Assert.Equal((100, 1001L, "bob"), (otherUser.ProcessId, otherUser.UserId, otherUser.UserName));
    }

    [Fact]
    public void EveryProtocolAndStateFitsTheFourBitsEachIsKeptInAndReadsBack()
    {
        foreach (SocketProtocol protocol in Enum.GetValues(typeof(SocketProtocol)))
        {
            Assert.InRange((long)protocol, 0, 15);
            foreach (SocketState state in Enum.GetValues(typeof(SocketState)))
            {
                Assert.InRange((long)state, 0, 15);
                SocketRecord row = TcpRow(1);
                (row.Protocol, row.State) = (protocol, state);
                if (protocol == SocketProtocol.Unix)
                {
                    continue; // a UNIX row needs its details; its protocol and state go through the same constructor
                }

                SocketEntry entry = SocketEntry.Of(in row, null, null, EntryOwner.None, null);
                Assert.Equal((protocol, state), (entry.Protocol, entry.State));
                Assert.Equal((protocol, state), (SocketEntry.Of(in row, entry).Protocol, SocketEntry.Of(in row, entry).State));
            }
        }
    }

    [Theory]
    [InlineData(0U, 0)]
    [InlineData(7U, 7)]
    [InlineData(255U, 255)]
    [InlineData(1000U, 255)] // no kernel counts past a byte; were one to, the count stops rather than wraps
    public void RetransmitsReadBackFromTheByteTheyAreKeptIn(uint given, int shown)
    {
        SocketRecord row = TcpRow(1);
        row.Retransmits = given;
        Assert.Equal(shown, SocketEntry.Of(in row, null, null, EntryOwner.None, null).Retransmits);
    }

    [Fact]
    public void TheInodeIsTheIdentityOfASocketThatHasOne()
    {
        SocketRecord row = TcpRow(987654321012);
        SocketEntry entry = SocketEntry.Of(in row, null, null, EntryOwner.None, null);
        Assert.Equal(987654321012L, entry.Inode);
        Assert.Equal(987654321012L, entry.Identity);
    }

    [Theory]
    [InlineData(0UL, 0, 0L)]            // TIME_WAIT on Linux: neither
    [InlineData(0xFFFF_8000_1234_5678UL, 0, unchecked((long)0xFFFF_8000_1234_5678UL))] // macOS: the kernel's socket address
    [InlineData(0UL, 4321, 4321L)]      // Windows: the owning process
    public void ASocketWithoutAnInodeKeepsItsIdentityAndShowsNoInode(ulong handle, int processId, long identity)
    {
        SocketRecord row = TcpRow(0);
        row.SocketHandle = handle;
        row.ProcessId = processId;
        SocketEntry entry = SocketEntry.Of(in row, null, null, EntryOwner.None, null);
        Assert.Null(entry.Inode);
        Assert.Equal(identity, entry.Identity);
        Assert.Equal(row.Identity, entry.Identity);

        // A watch's later look of the same socket keeps both.
        SocketEntry again = SocketEntry.Of(in row, entry);
        Assert.Null(again.Inode);
        Assert.Equal(identity, again.Identity);
    }

    [Fact]
    public void TcpInternalsAndMemoryReadBackAloneAndTogether()
    {
        var tcp = new TcpDetails();
        var memory = new SocketMemory { ReceiveBufferUsed = 7 };
        SocketRecord row = TcpRow(1);
        Assert.Null(SocketEntry.Of(in row, null, null, EntryOwner.None, null).Tcp);
        Assert.Null(SocketEntry.Of(in row, null, null, EntryOwner.None, null).Memory);

        row.Tcp = tcp;
        SocketEntry withTcp = SocketEntry.Of(in row, null, null, EntryOwner.None, null);
        Assert.Same(tcp, withTcp.Tcp);
        Assert.Null(withTcp.Memory);

        row.Memory = memory;
        SocketEntry both = SocketEntry.Of(in row, null, null, EntryOwner.None, null);
        Assert.Same(tcp, both.Tcp);
        Assert.Same(memory, both.Memory);

        row.Tcp = null;
        SocketEntry withMemory = SocketEntry.Of(in row, both);
        Assert.Null(withMemory.Tcp);
        Assert.Same(memory, withMemory.Memory);
    }

    [Theory]
    [InlineData(SocketTimer.None)]
    [InlineData(SocketTimer.Retransmit)]
    [InlineData(SocketTimer.KeepAlive)]
    [InlineData(SocketTimer.TimeWait)]
    [InlineData(SocketTimer.ZeroWindowProbe)]
    public void TheTimerReadsBackBesideTheFlagsItSharesABitFieldWith(SocketTimer timer)
    {
        SocketRecord row = TcpRow(0);
        row.Timer = timer;
        row.TimerExpiresMs = 1500;
        row.V6Only = true;
        SocketEntry entry = SocketEntry.Of(in row, null, null, EntryOwner.None, null);
        Assert.Equal(timer, entry.Timer);
        Assert.Equal(timer == SocketTimer.None ? null : 1500L, entry.TimerRemainingMs);
        Assert.True(entry.IPv6Only);
        Assert.Null(entry.Inode);
        Assert.Equal(timer, SocketEntry.Of(in row, entry).Timer);

        row.Unseen |= UnseenFields.Timer;
        Assert.Null(SocketEntry.Of(in row, null, null, EntryOwner.None, null).Timer);
    }

    [Fact]
    public void EveryTimerKindFitsTheFourBitsItIsKeptIn()
    {
        foreach (SocketTimer timer in Enum.GetValues(typeof(SocketTimer)))
        {
            Assert.InRange((long)timer, 0, 15);
        }
    }

    [Fact]
    public void TheInterfaceIndexReadsBackAloneAndWithTheDetails()
    {
        SocketRecord row = TcpRow(1);
        Assert.Null(SocketEntry.Of(in row, null, null, EntryOwner.None, null).InterfaceIndex);
        row.InterfaceIndex = 7;
        Assert.Equal(7, SocketEntry.Of(in row, null, null, EntryOwner.None, null).InterfaceIndex);
        row.Tcp = new TcpDetails();
        SocketEntry both = SocketEntry.Of(in row, null, null, EntryOwner.None, null);
        Assert.Equal(7, both.InterfaceIndex);
        Assert.NotNull(both.Tcp);
    }
}
