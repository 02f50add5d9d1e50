using System;
using System.Management.Automation;
using System.Threading;
using SockTools.Table;
using Xunit;

namespace SockTools.Tests.Namespaces;

/// <summary>The thread that does work inside other network namespaces, with namespaces that are entered in name only.</summary>
public class NamespaceThreadTests
{
    [Fact]
    public void WorkForPowerShellsOwnNamespaceRunsOnTheCallersThreadWithoutEntering()
    {
        using var thread = new NamespaceThread();
        var own = new FakeNamespace("net:[1]", 1, isOwn: true);
        Thread ranOn = thread.Run(own, () => Thread.CurrentThread);
        Assert.Same(Thread.CurrentThread, ranOn);
        Assert.Empty(own.EnteredBy);
    }

    [Fact]
    public void WorkForAnotherNamespaceRunsOnOneThreadOfItsOwnThatEntersEachNamespaceOnce()
    {
        using var thread = new NamespaceThread();
        var blue = new FakeNamespace("blue", 2);
        var red = new FakeNamespace("red", 3);
        Thread first = thread.Run(blue, () => Thread.CurrentThread);
        Thread second = thread.Run(blue, () => Thread.CurrentThread);
        Thread third = thread.Run(red, () => Thread.CurrentThread);
        thread.Run(blue, () => { });

        Assert.NotSame(Thread.CurrentThread, first);
        Assert.Same(first, second);
        Assert.Same(first, third);
        Assert.False(first.IsThreadPoolThread, "a pool thread must never be moved into another namespace");
        Assert.True(first.IsBackground, "a thread waiting for work must not hold the process open");
        Assert.Equal(new[] { first, first }, blue.EnteredBy); // entered again only after red
        Assert.Equal(new[] { first }, red.EnteredBy);
    }

    [Fact]
    public void TheWorksExceptionComesBackAsItWasThrown()
    {
        using var thread = new NamespaceThread();
        var blue = new FakeNamespace("blue", 2);
        var e = Assert.Throws<ArgumentException>(() => thread.Run<int>(blue, () => throw new ArgumentException("inside")));
        Assert.Equal("inside", e.Message);
        Assert.Equal(7, thread.Run(blue, () => 7)); // the thread goes on serving
    }

    [Fact]
    public void ANamespaceThatRefusesToBeEnteredFailsTheWorkAndLeavesTheThreadWhereItWas()
    {
        using var thread = new NamespaceThread();
        var blue = new FakeNamespace("blue", 2);
        var refused = new SocketTableException("NetworkNamespaceAccessDenied", ErrorCategory.PermissionDenied, "no", "run as root");
        var red = new FakeNamespace("red", 3, refusal: refused);
        thread.Run(blue, () => { });
        bool ran = false;
        Assert.Same(refused, Assert.Throws<SocketTableException>(() => thread.Run(red, () => ran = true)));
        Assert.False(ran);
        thread.Run(blue, () => { });
        Assert.Single(blue.EnteredBy); // still in blue: no second entering
    }

    [Fact]
    public void DisposingEndsTheThreadAndRefusesMoreWork()
    {
        var thread = new NamespaceThread();
        var blue = new FakeNamespace("blue", 2);
        Thread worker = thread.Run(blue, () => Thread.CurrentThread);
        thread.Dispose();
        Assert.True(worker.Join(TimeSpan.FromSeconds(5)), "the thread ends with the command");
        Assert.Throws<ObjectDisposedException>(() => thread.Run(blue, () => 1));
        thread.Dispose(); // twice is harmless
    }
}
