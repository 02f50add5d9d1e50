using System;
using System.Collections.Generic;
using System.Linq;
using SockTools.Query;
using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>-State values and groups, the kernel masks they become, and the kernel state numbers.</summary>
public sealed class StateSelectionTests
{
    private static readonly SocketState[] AllStates = (SocketState[])Enum.GetValues(typeof(SocketState));

    [Fact]
    public void ConnectedIsEveryStateButListenBoundAndUnconnected()
    {
        var expected = AllStates.Except(new[] { SocketState.Listen, SocketState.Bound, SocketState.Unconnected });

        HashSet<SocketState> connected = StateSelection.Expand(new[] { SocketStateFilter.Connected });

        Assert.Equal(Sorted(expected), Sorted(connected));
        Assert.Equal(9, connected.Count);
    }

    [Fact]
    public void SynchronizedIsConnectedWithoutSynSent()
    {
        var connected = StateSelection.Expand(new[] { SocketStateFilter.Connected });

        HashSet<SocketState> synchronized = StateSelection.Expand(new[] { SocketStateFilter.Synchronized });

        Assert.Equal(Sorted(connected.Where(s => s != SocketState.SynSent)), Sorted(synchronized));
        Assert.Contains(SocketState.SynReceived, synchronized); // ss keeps SYN-RECV in "synchronized"
        Assert.Contains(SocketState.TimeWait, synchronized);
    }

    [Theory]
    [InlineData(SocketStateFilter.SynSent, SocketStateFilter.Synchronized)]
    [InlineData(SocketStateFilter.Synchronized, SocketStateFilter.SynSent)]
    public void AStateNamedBesideAGroupThatLeavesItOutIsIn(SocketStateFilter first, SocketStateFilter second)
    {
        HashSet<SocketState> states = StateSelection.Expand(new[] { first, second });

        Assert.Contains(SocketState.SynSent, states);
        Assert.Contains(SocketState.Established, states);
    }

    [Theory]
    [InlineData("time-wait", SocketStateFilter.TimeWait)]
    [InlineData("TIME_WAIT", SocketStateFilter.TimeWait)]
    [InlineData("close-wait", SocketStateFilter.CloseWait)]
    [InlineData("syn-recv", SocketStateFilter.SynReceived)]
    [InlineData("SYN_RECV", SocketStateFilter.SynReceived)]
    [InlineData("syn-sent", SocketStateFilter.SynSent)]
    [InlineData("estab", SocketStateFilter.Established)]
    [InlineData("ESTAB", SocketStateFilter.Established)]
    [InlineData("established", SocketStateFilter.Established)]
    [InlineData("listen", SocketStateFilter.Listen)]
    [InlineData("listening", SocketStateFilter.Listen)]
    [InlineData("fin-wait-1", SocketStateFilter.FinWait1)]
    [InlineData("FIN_WAIT2", SocketStateFilter.FinWait2)]
    [InlineData("last-ack", SocketStateFilter.LastAck)]
    [InlineData("closing", SocketStateFilter.Closing)]
    [InlineData("close", SocketStateFilter.Bound)]
    [InlineData("closed", SocketStateFilter.Bound)]
    [InlineData("Closed", SocketStateFilter.Bound)]
    [InlineData("bound-inactive", SocketStateFilter.Bound)]
    [InlineData("unconn", SocketStateFilter.Unconnected)]
    [InlineData("UNCONN", SocketStateFilter.Unconnected)]
    [InlineData("connected", SocketStateFilter.Connected)]
    [InlineData("synchronized", SocketStateFilter.Synchronized)]
    [InlineData(" TimeWait ", SocketStateFilter.TimeWait)]
    public void TakesTheSpellingsOfSsAndNetstat(string typed, SocketStateFilter expected)
        => Assert.Equal(expected, SockTools.Validation.SocketStateNameAttribute.Parse(typed));

    [Theory]
    [InlineData("bogus")]
    [InlineData("time wait")]
    [InlineData("")]
    public void NamesEveryStateWhenAWordIsNotOne(string typed)
    {
        var e = Assert.Throws<System.Management.Automation.ArgumentTransformationMetadataException>(() => SockTools.Validation.SocketStateNameAttribute.Parse(typed));
        Assert.Contains($"'{typed}' is not a socket state", e.Message);
        Assert.Contains("Established", e.Message);
        Assert.Contains("time-wait", e.Message);
    }

    [Fact]
    public void AllIsEveryState()
    {
        Assert.Equal(Sorted(AllStates), Sorted(StateSelection.Expand(new[] { SocketStateFilter.All })));
    }

    [Fact]
    public void EveryPlainFilterNamesTheStateOfTheSameName()
    {
        foreach (SocketState state in AllStates)
        {
            var filter = Enum.Parse<SocketStateFilter>(state.ToString());

            Assert.Equal(new[] { state }, StateSelection.Expand(new[] { filter }));
        }
    }

    [Fact]
    public void SeveralFiltersUnite()
    {
        var states = StateSelection.Expand(new[] { SocketStateFilter.Listen, SocketStateFilter.TimeWait, SocketStateFilter.Synchronized, SocketStateFilter.Listen });

        Assert.Equal(9, states.Count); // Listen + the eight synchronized states (TimeWait is one of them)
        Assert.Contains(SocketState.Listen, states);
        Assert.DoesNotContain(SocketState.SynSent, states);
        Assert.Empty(StateSelection.Expand(Array.Empty<SocketStateFilter>()));
    }

    [Theory]
    [InlineData(SocketState.Listen, 1u << 10)]
    [InlineData(SocketState.SynSent, 1u << 2)]
    [InlineData(SocketState.SynReceived, (1u << 3) | (1u << 12))] // TCP_SYN_RECV and TCP_NEW_SYN_RECV
    [InlineData(SocketState.Established, 1u << 1)]
    [InlineData(SocketState.FinWait1, 1u << 4)]
    [InlineData(SocketState.FinWait2, 1u << 5)]
    [InlineData(SocketState.TimeWait, 1u << 6)]
    [InlineData(SocketState.Bound, (1u << 7) | (1u << 13))] // CLOSE, and the bind-table walk for bound-only sockets
    [InlineData(SocketState.CloseWait, 1u << 8)]
    [InlineData(SocketState.LastAck, 1u << 9)]
    [InlineData(SocketState.Closing, 1u << 11)]
    [InlineData(SocketState.Unconnected, 0u)]
    public void TcpMaskOfEachState(SocketState state, uint mask)
    {
        Assert.Equal(mask, KernelStates.MaskOf(SocketProtocol.Tcp, state));
        Assert.Equal(mask, Mask(SocketProtocol.Tcp, new[] { state }));
    }

    [Theory]
    [InlineData(SocketState.Unconnected, 1u << 7)]
    [InlineData(SocketState.Established, 1u << 1)]
    [InlineData(SocketState.Bound, 0u)]   // UDP in TCP_CLOSE is Unconnected, never Bound
    [InlineData(SocketState.Listen, 0u)]
    [InlineData(SocketState.SynSent, 0u)]
    [InlineData(SocketState.SynReceived, 0u)]
    [InlineData(SocketState.TimeWait, 0u)]
    public void UdpMaskOfEachState(SocketState state, uint mask)
    {
        Assert.Equal(mask, KernelStates.MaskOf(SocketProtocol.Udp, state));
    }

    [Fact]
    public void GroupMasks()
    {
        var connected = StateSelection.Expand(new[] { SocketStateFilter.Connected });
        var synchronized = StateSelection.Expand(new[] { SocketStateFilter.Synchronized });
        var all = StateSelection.Expand(new[] { SocketStateFilter.All });

        // Connected: kernel states 1-6, 8, 9, 11, 12 (no 7 CLOSE, no 10 LISTEN).
        Assert.Equal(0x1B7Eu, Mask(SocketProtocol.Tcp, connected));
        Assert.Equal(0x1B7Au, Mask(SocketProtocol.Tcp, synchronized)); // minus bit 2
        Assert.Equal(0x3FFEu, Mask(SocketProtocol.Tcp, all));          // states 1-12, plus bound-inactive (13)
        Assert.Equal(0x1FFEu, KernelStates.AllTcpStates);                                   // no -State: states 1-12, no bind-table walk

        // UDP sockets are only ever unconnected (7) or connected (1).
        Assert.Equal(0x82u, Mask(SocketProtocol.Udp, all));
        Assert.Equal(0x02u, Mask(SocketProtocol.Udp, connected));
        Assert.Equal(0x02u, Mask(SocketProtocol.Udp, synchronized));
        Assert.Equal(0u, Mask(SocketProtocol.Udp, new[] { SocketState.Listen }));
        Assert.Equal(0u, Mask(SocketProtocol.Tcp, Array.Empty<SocketState>()));
    }

    [Theory]
    [InlineData(1, SocketState.Established, SocketState.Established)]
    [InlineData(2, SocketState.SynSent, SocketState.SynSent)]
    [InlineData(3, SocketState.SynReceived, SocketState.SynReceived)]
    [InlineData(4, SocketState.FinWait1, SocketState.FinWait1)]
    [InlineData(5, SocketState.FinWait2, SocketState.FinWait2)]
    [InlineData(6, SocketState.TimeWait, SocketState.TimeWait)]
    [InlineData(7, SocketState.Bound, SocketState.Unconnected)]
    [InlineData(8, SocketState.CloseWait, SocketState.CloseWait)]
    [InlineData(9, SocketState.LastAck, SocketState.LastAck)]
    [InlineData(10, SocketState.Listen, SocketState.Listen)]
    [InlineData(11, SocketState.Closing, SocketState.Closing)]
    [InlineData(12, SocketState.SynReceived, SocketState.SynReceived)]
    public void KernelStateNumbers(byte kernel, SocketState tcp, SocketState udp)
    {
        Assert.Equal(tcp, KernelStates.ToSocketState(SocketProtocol.Tcp, kernel));
        Assert.Equal(udp, KernelStates.ToSocketState(SocketProtocol.Udp, kernel));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    [InlineData(255)]
    public void UnknownKernelStateIsRefused(byte kernel)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KernelStates.ToSocketState(SocketProtocol.Tcp, kernel));
    }

    [Fact]
    public void EveryTcpKernelStateIsSelectedByTheStateItMapsTo()
    {
        // What the /proc reader relies on: filtering by mask after the fact agrees with the state mapping.
        for (byte kernel = 1; kernel <= 12; kernel++)
        {
            SocketState state = KernelStates.ToSocketState(SocketProtocol.Tcp, kernel);
            Assert.NotEqual(0u, KernelStates.MaskOf(SocketProtocol.Tcp, state) & KernelStates.Bit(kernel));
        }

        foreach (byte kernel in new byte[] { KernelStates.Established, KernelStates.Close })
        {
            SocketState state = KernelStates.ToSocketState(SocketProtocol.Udp, kernel);
            Assert.NotEqual(0u, KernelStates.MaskOf(SocketProtocol.Udp, state) & KernelStates.Bit(kernel));
        }
    }

    [Theory]
    [InlineData(SocketState.Listen, "LISTEN")]
    [InlineData(SocketState.SynReceived, "SYN-RECV")]
    [InlineData(SocketState.Established, "ESTAB")]
    [InlineData(SocketState.TimeWait, "TIME-WAIT")]
    [InlineData(SocketState.Bound, "UNCONN")] // ss prints TCP_CLOSE as UNCONN
    [InlineData(SocketState.Unconnected, "UNCONN")]
    public void SsNames(SocketState state, string name)
    {
        Assert.Equal(name, SocketStateNames.Ss(state));
    }

    /// <summary>The kernel mask of a query that names these states.</summary>
    private static uint Mask(SocketProtocol protocol, IEnumerable<SocketState> states)
        => KernelStates.MaskFor(new SocketQuery { States = states.ToArray() }, protocol);

    private static SocketState[] Sorted(IEnumerable<SocketState> states) => states.OrderBy(s => s).ToArray();
}
