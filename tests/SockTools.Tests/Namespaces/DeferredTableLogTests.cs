using System.Management.Automation;
using SockTools.Table;
using Xunit;

namespace SockTools.Tests.Namespaces;

/// <summary>What a reader inside a namespace says is kept and said again, in order, on the pipeline thread.</summary>
public class DeferredTableLogTests
{
    [Fact]
    public void ReplaysVerboseLinesWarningsAndFailuresInOrderOnce()
    {
        var deferred = new DeferredTableLog();
        var failure = new SocketTableException("SocketTableReadFailed", ErrorCategory.ReadError, "broken", "retry");
        deferred.Verbose("one");
        deferred.Warning("Kind", "careful");
        deferred.Failed(failure);
        deferred.Verbose("two");

        var log = new RecordingTableLog();
        deferred.ReplayTo(log);
        deferred.ReplayTo(log); // nothing twice

        Assert.Equal(new[] { "one", "two" }, log.VerboseLines);
        Assert.Equal(new[] { ("Kind", "careful") }, log.Warnings);
        Assert.Equal(new[] { failure }, log.Failures);
    }
}
