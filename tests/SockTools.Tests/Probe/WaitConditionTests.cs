using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class WaitConditionTests
    {
        internal static PortTestResult Result(PortStatus status)
            => new PortTestResult("db", "192.0.2.1", 5432, status, null, null, null, 1, null);

        [Fact]
        public void Open_needs_every_result_open()
        {
            Assert.True(WaitCondition.IsMet(PortCondition.Open, new[] { Result(PortStatus.Open), Result(PortStatus.Open) }));
            Assert.False(WaitCondition.IsMet(PortCondition.Open, new[] { Result(PortStatus.Open), Result(PortStatus.Refused) }));
            Assert.False(WaitCondition.IsMet(PortCondition.Open, new PortTestResult[0]));
        }

        [Theory]
        [InlineData(PortStatus.Refused)]
        [InlineData(PortStatus.TimedOut)]
        [InlineData(PortStatus.NameResolutionFailed)]
        [InlineData(PortStatus.Unreachable)]
        [InlineData(PortStatus.Error)]
        public void Closed_is_any_status_but_Open(PortStatus status)
        {
            Assert.True(WaitCondition.IsMet(PortCondition.Closed, new[] { Result(status) }));
            Assert.False(WaitCondition.IsMet(PortCondition.Closed, new[] { Result(status), Result(PortStatus.Open) }));
        }
    }
}
