using System;
using System.Collections.Generic;
using System.IO;
using SockTools.Completers;
using SockTools.Table;
using Xunit;

namespace SockTools.Tests;

/// <summary>Tab completion reads the table in the user's prompt: a read that fails must give nothing, not an error.</summary>
public sealed class CompletionSnapshotTests
{
    [Fact]
    public void AReadThatFailsAtOnceGivesAnEmptySnapshot()
    {
        CompletionSnapshot snapshot = CompletionSnapshot.Take(() => throw new PlatformNotSupportedException("no reader on this OS"));
        Assert.Empty(snapshot.Owners);
        Assert.Empty(snapshot.Listeners);
    }

    [Fact]
    public void AReadThatFailsWhileStreamingGivesAnEmptySnapshot()
    {
        CompletionSnapshot snapshot = CompletionSnapshot.Take(() => FailingStream(new SocketTableFormatException("truncated message")));
        Assert.Empty(snapshot.Owners);
        Assert.Empty(snapshot.Listeners);
        Assert.Empty(CompletionSnapshot.Take(() => FailingStream(new IOException("/proc/net/tcp vanished"))).Owners);
    }

    private static IEnumerable<SocketEntry> FailingStream(Exception failure)
    {
        // The reader streams (owners are looked up while entries go out), so a failure can surface while enumerating.
        if (failure is not null)
        {
            throw failure;
        }

        yield break;
    }
}
