using System.Collections.Generic;
using SockTools.Table;
using Xunit;

namespace SockTools.Tests;

/// <summary>The size-then-read loop shared by the Windows and macOS table copies.</summary>
public sealed class GrowingBufferTests
{
    [Fact]
    public void TheFirstCallIsASizeQuestionWithAnEmptyBuffer()
    {
        var sizes = new List<int>();
        GrowingBuffer.Fill("test", buffer =>
        {
            sizes.Add(buffer.Length);
            return buffer.Length == 0 ? Fill.TooSmall(100) : Fill.Done(100);
        }, out int length);

        Assert.Equal(0, sizes[0]);
        Assert.True(sizes[1] >= 100);
        Assert.Equal(100, length);
    }

    [Theory]
    [InlineData(800, 0, 1156)]     // what was asked plus an eighth plus 256: room for sockets opened meanwhile
    [InlineData(100, 4096, 8192)]  // asked for no more than it had: doubled, so it cannot loop on one size
    [InlineData(0, 0, 256)]
    public void TheNextBufferLeavesRoomToGrow(int needed, int current, int next)
        => Assert.Equal(next, GrowingBuffer.NextSize(needed, current));

    [Fact]
    public void TheNextBufferNeverExceedsTheCap()
        => Assert.Equal(GrowingBuffer.MaxBytes, GrowingBuffer.NextSize(GrowingBuffer.MaxBytes, 0));

    [Fact]
    public void AClaimedLengthBeyondTheBufferIsAFormatError()
        => Assert.Throws<SocketTableFormatException>(() => GrowingBuffer.Fill("test", buffer => buffer.Length == 0 ? Fill.TooSmall(10) : Fill.Done(buffer.Length + 1), out _));
}
