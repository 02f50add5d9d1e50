using System;
using System.Collections.Generic;
using System.Linq;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests;

/// <summary>The owner scan's map from socket inode to slot: an array over a narrow range, else a dictionary.</summary>
public sealed class InodeSlotsTests
{
    [Fact]
    public void NearbyInodesGetAnArrayAndSlotsInFirstComeOrder()
    {
        var wanted = new List<ulong> { 1_000_005, 1_000_001, 1_000_003, 1_000_001, 1_000_002 };
        var slots = new InodeSlots(wanted, out ulong[] unique);

        Assert.True(slots.IsDense);
        Assert.Equal(new ulong[] { 1_000_005, 1_000_001, 1_000_003, 1_000_002 }, unique); // the repeat keeps its first slot
        for (int i = 0; i < unique.Length; i++)
        {
            Assert.True(slots.TryGetSlot(unique[i], out int slot));
            Assert.Equal(i, slot);
        }

        Assert.False(slots.TryGetSlot(1_000_004, out _)); // inside the range, not wanted
        Assert.False(slots.TryGetSlot(1_000_000, out _)); // just below the lowest
        Assert.False(slots.TryGetSlot(1_000_006, out _)); // just above the highest
        Assert.False(slots.TryGetSlot(0, out _));
        Assert.False(slots.TryGetSlot(ulong.MaxValue, out _));
    }

    [Fact]
    public void InodesSpreadWideGetADictionaryThatAnswersTheSame()
    {
        var wanted = new List<ulong> { 7, 1UL << 40, 7, ulong.MaxValue, 123_456_789 };
        var slots = new InodeSlots(wanted, out ulong[] unique);

        Assert.False(slots.IsDense);
        Assert.Equal(new ulong[] { 7, 1UL << 40, ulong.MaxValue, 123_456_789 }, unique);
        Assert.True(slots.TryGetSlot(ulong.MaxValue, out int last));
        Assert.Equal(2, last);
        Assert.False(slots.TryGetSlot(8, out _));
    }

    [Fact]
    public void TheWholeRangeOfNumbersIsNoOverflow()
    {
        var slots = new InodeSlots(new List<ulong> { 0, ulong.MaxValue }, out ulong[] unique);

        Assert.False(slots.IsDense);
        Assert.Equal(new ulong[] { 0, ulong.MaxValue }, unique);
        Assert.True(slots.TryGetSlot(0, out int first));
        Assert.Equal(0, first);
        Assert.True(slots.TryGetSlot(ulong.MaxValue, out int last));
        Assert.Equal(1, last);
        Assert.False(slots.TryGetSlot(1, out _));
    }

    [Fact]
    public void NothingWantedFindsNothing()
    {
        var slots = new InodeSlots(new List<ulong>(), out ulong[] unique);

        Assert.Empty(unique);
        Assert.False(slots.TryGetSlot(0, out _));
        Assert.False(slots.TryGetSlot(42, out _));
    }

    [Theory]
    [InlineData(50_000, 3, true)]   // sockets among a few other files: an array
    [InlineData(50_000, 40, false)] // one socket in forty inodes: a dictionary, not a 10 MB array
    public void AgreesWithADictionaryOnAShuffledLoad(int count, int gap, bool dense)
    {
        var random = new Random(count + gap);
        var wanted = Enumerable.Range(0, count).Select(i => 4_026_531_840UL + (ulong)(i * gap) + (ulong)random.Next(gap)).OrderBy(_ => random.Next()).ToList();
        wanted.AddRange(wanted.Take(100)); // repeats
        var slots = new InodeSlots(wanted, out ulong[] unique);
        var expected = new Dictionary<ulong, int>();
        foreach (ulong inode in wanted)
        {
            if (!expected.ContainsKey(inode))
            {
                expected.Add(inode, expected.Count);
            }
        }

        Assert.Equal(dense, slots.IsDense);
        Assert.Equal(expected.Keys, unique);
        foreach (KeyValuePair<ulong, int> pair in expected)
        {
            Assert.True(slots.TryGetSlot(pair.Key, out int slot));
            Assert.Equal(pair.Value, slot);
        }

        for (int i = 0; i < 1000; i++)
        {
            ulong probe = 4_026_531_840UL - 10 + (ulong)random.Next(count * gap + 20);
            Assert.Equal(expected.ContainsKey(probe), slots.TryGetSlot(probe, out _));
        }
    }
}
