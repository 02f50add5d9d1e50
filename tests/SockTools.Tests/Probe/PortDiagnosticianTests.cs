using System.Collections.Generic;
using System.Net;
using SockTools.Probe;
using SockTools.Table;
using Xunit;

namespace SockTools.Tests.Probe
{
    /// <summary>Why a port on this host is not open, from the listeners given: every diagnosis, and what it must not claim.</summary>
    public class PortDiagnosticianTests
    {
        private static SocketEntry Listener(string local, int port, long queued = 0, uint? backlog = 128, bool? v6Only = null, int? pid = 4744, string name = "python3")
        {
            AddressValue address = AddressValue.FromIPAddress(IPAddress.Parse(local));
            var row = new SocketRecord
            {
                Protocol = SocketProtocol.Tcp,
                State = SocketState.Listen,
                LocalAddress = address,
                LocalPort = (ushort)port,
                RemoteAddress = new AddressValue(address.IsV6, 0, 0),
                ReceiveQueue = (uint)queued,
                SendQueue = backlog,
                Inode = 1,
                V6Only = v6Only,
            };
            var owner = pid is int p ? new EntryOwner(p, name, null, 0, null) : EntryOwner.None;
            return SocketEntry.Of(row, address.ToString(), address.IsV6 ? "::" : "0.0.0.0", owner, null);
        }

        private static (PortDiagnosis Diagnosis, string Explanation) Diagnose(string dialled, int port, PortStatus status, params SocketEntry[] listeners)
            => PortDiagnostician.Diagnose(IPAddress.Parse(dialled), port, status, listeners) ?? throw new Xunit.Sdk.XunitException("no diagnosis");

        [Theory]
        [InlineData(PortStatus.Open)]
        [InlineData(PortStatus.Unreachable)]
        [InlineData(PortStatus.Error)]
        [InlineData(PortStatus.NameResolutionFailed)]
        public void OnlyRefusedAndTimedOutAreExplained(PortStatus status)
            => Assert.Null(PortDiagnostician.Diagnose(IPAddress.Loopback, 8000, status, new[] { Listener("127.0.0.1", 8001) }));

        [Fact]
        public void NothingOnThePortNamesTheNearestListeningPortsNearestFirst()
        {
            var (diagnosis, text) = Diagnose("127.0.0.1", 8000, PortStatus.Refused,
                Listener("127.0.0.1", 8080, name: "nginx", pid: 700), Listener("0.0.0.0", 7999), Listener("::1", 8003, name: "node", pid: 9),
                Listener("127.0.0.1", 8101, name: "far", pid: 1), Listener("127.0.0.1", 8002, name: "fourth", pid: 2));
            Assert.Equal(PortDiagnosis.NotListening, diagnosis);
            Assert.Equal("Nothing listens on port 8000, on any address of this host. Nearby, 0.0.0.0:7999, 127.0.0.1:8002 and [::1]:8003 listen: is the server on another port?", text);
        }

        [Fact]
        public void NothingAnywhereNearSaysSoAndATimeoutAddsTheFirewall()
        {
            var (diagnosis, text) = Diagnose("::1", 5432, PortStatus.TimedOut, Listener("127.0.0.1", 22));
            Assert.Equal(PortDiagnosis.NotListening, diagnosis);
            Assert.Equal("Nothing listens on port 5432, on any address of this host. The connection went unanswered rather than refused, so a firewall rule drops packets to it as well.", text);
        }

        [Fact]
        public void AListenerOnAnotherAddressIsNamedWithItsProcess()
        {
            var (diagnosis, text) = Diagnose("127.0.0.2", 8000, PortStatus.Refused, Listener("127.0.0.1", 8000));
            Assert.Equal(PortDiagnosis.ListeningOnOtherAddress, diagnosis);
            Assert.StartsWith("Listening on 127.0.0.1:8000 (python3, pid 4744) only; you dialled 127.0.0.2.", text);
        }

        [Fact]
        public void AnotherAddressOfTheSameFamilyComesBeforeTheOtherFamily()
        {
            var (diagnosis, _) = Diagnose("127.0.0.2", 8000, PortStatus.Refused, Listener("::1", 8000), Listener("127.0.0.1", 8000));
            Assert.Equal(PortDiagnosis.ListeningOnOtherAddress, diagnosis);
        }

        [Theory]
        [InlineData("127.0.0.1", "::1", "(IPv6); you dialled 127.0.0.1 (IPv4)")]
        [InlineData("::1", "127.0.0.1", "(IPv4); you dialled ::1 (IPv6)")]
        [InlineData("::1", "0.0.0.0", "(IPv4); you dialled ::1 (IPv6)")]
        [InlineData("::1", "::ffff:127.0.0.1", "(IPv4); you dialled ::1 (IPv6)")]
        public void AListenerOfTheOtherFamilyOnlyIsSaidWithBothFamilies(string dialled, string bound, string said)
        {
            var (diagnosis, text) = Diagnose(dialled, 8000, PortStatus.Refused, Listener(bound, 8000));
            Assert.Equal(PortDiagnosis.ListeningOnOtherFamily, diagnosis);
            Assert.Contains(said, text);
        }

        [Fact]
        public void AnIPv6OnlyWildcardListenerRefusingIPv4IsTheOtherFamily()
        {
            var (diagnosis, text) = Diagnose("127.0.0.1", 8000, PortStatus.Refused, Listener("::", 8000, v6Only: true));
            Assert.Equal(PortDiagnosis.ListeningOnOtherFamily, diagnosis);
            Assert.Contains("[::]:8000 (python3, pid 4744) only, and it is IPv6-only (IPV6_V6ONLY); you dialled 127.0.0.1 (IPv4)", text);
        }

        [Fact]
        public void ADualStackWildcardListenerTakesIPv4SoARefusalIsAFirewall()
        {
            var (diagnosis, text) = Diagnose("127.0.0.1", 8000, PortStatus.Refused, Listener("::", 8000, v6Only: false));
            Assert.Equal(PortDiagnosis.Filtered, diagnosis);
            Assert.Contains("refused: a firewall rule rejects it", text);
        }

        [Fact]
        public void AWildcardListenerOfUnknownV6OnlyIsNotClaimedToBeIPv6Only()
        {
            var (diagnosis, text) = Diagnose("127.0.0.1", 8000, PortStatus.Refused, Listener("::", 8000, v6Only: null));
            Assert.Equal(PortDiagnosis.ListeningOnOtherFamily, diagnosis);
            Assert.Contains("unless it is IPv6-only (IPV6_V6ONLY), which this reader cannot see", text);
            Assert.DoesNotContain("and it is IPv6-only", text);
        }

        [Fact]
        public void AWildcardListenerOfUnknownV6OnlyTakesTheBlameForATimeoutAsAListener()
        {
            var (diagnosis, _) = Diagnose("127.0.0.1", 8000, PortStatus.TimedOut, Listener("::", 8000, v6Only: null));
            Assert.Equal(PortDiagnosis.Filtered, diagnosis);
        }

        [Fact]
        public void AQueueHoldingMoreThanTheBacklogIsFull()
        {
            var (diagnosis, text) = Diagnose("127.0.0.1", 8000, PortStatus.TimedOut, Listener("0.0.0.0", 8000, queued: 2, backlog: 1));
            Assert.Equal(PortDiagnosis.BacklogFull, diagnosis);
            Assert.StartsWith("0.0.0.0:8000 (python3, pid 4744) listens but does not accept: 2 connections wait in its queue and its backlog allows 1, so the kernel drops new connection requests (SYNs)", text);
        }

        [Fact]
        public void AQueueAtItsBacklogStillHasRoomForOne()
        {
            // The kernel turns connections away only once more wait than the backlog allows.
            var (diagnosis, text) = Diagnose("127.0.0.1", 8000, PortStatus.TimedOut, Listener("127.0.0.1", 8000, queued: 1, backlog: 1));
            Assert.Equal(PortDiagnosis.Filtered, diagnosis);
            Assert.Contains("with room in its queue (1 of 1 waiting): a firewall rule", text);
        }

        [Fact]
        public void AnUnknownBacklogIsSaidNotGuessed()
        {
            var (diagnosis, text) = Diagnose("127.0.0.1", 8000, PortStatus.TimedOut, Listener("127.0.0.1", 8000, queued: 5, backlog: null));
            Assert.Equal(PortDiagnosis.Filtered, diagnosis);
            Assert.Contains("cannot see its backlog, so a full queue is possible too", text);
        }

        [Fact]
        public void AHiddenOwnerIsSaidToBeHidden()
        {
            var (_, text) = Diagnose("127.0.0.2", 8000, PortStatus.Refused, Listener("127.0.0.1", 8000, pid: null));
            Assert.Contains("127.0.0.1:8000 (its process is not visible here)", text);
        }

        [Fact]
        public void AnIPv4MappedDialledAddressIsTheIPv4One()
        {
            var (diagnosis, _) = Diagnose("::ffff:127.0.0.1", 8000, PortStatus.TimedOut, Listener("127.0.0.1", 8000));
            Assert.Equal(PortDiagnosis.Filtered, diagnosis);
        }
    }
}
