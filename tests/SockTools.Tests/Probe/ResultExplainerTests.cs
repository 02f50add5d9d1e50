using System.Threading.Tasks;
using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    /// <summary>Which results are worth a table read: only failures on this host.</summary>
    public class ResultExplainerTests
    {
        private static PortTestResult Result(string? address, PortStatus status)
            => new PortTestResult("target", address, 8000, status, null, null, null, 1, null);

        [Theory]
        [InlineData("127.0.0.1", PortStatus.Refused, true)]
        [InlineData("127.0.0.2", PortStatus.TimedOut, true)]
        [InlineData("::1", PortStatus.Refused, true)]
        [InlineData("::ffff:127.0.0.1", PortStatus.Refused, true)]
        [InlineData("127.0.0.1", PortStatus.Open, false)]
        [InlineData("127.0.0.1", PortStatus.Unreachable, false)]
        [InlineData("192.0.2.1", PortStatus.Refused, false)]
        [InlineData("2001:db8::1", PortStatus.TimedOut, false)]
        [InlineData(null, PortStatus.NameResolutionFailed, false)]
        public void OnlyAFailureOnThisHostIsExplained(string? address, PortStatus status, bool wanted)
            => Assert.Equal(wanted, new ResultExplainer().Wants(Result(address, status)));

        [Fact]
        public void OpenResultsComeBackAsTheyAreWithoutATableRead()
        {
            var results = new[] { Result("127.0.0.1", PortStatus.Open), Result("192.0.2.1", PortStatus.Refused) };
            Assert.Same(results, new ResultExplainer().Explain(results, null, _ => throw new Xunit.Sdk.XunitException("the table must not be read")));
        }
    }
}
