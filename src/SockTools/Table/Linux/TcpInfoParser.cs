using System.Text;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Reads struct tcp_info from an INET_DIAG_INFO attribute. The struct only ever grows, so each field
    /// is read when the attribute is long enough to hold it (older kernels send a shorter struct).
    /// </summary>
    internal static class TcpInfoParser
    {
        private const uint InfiniteSlowStartThreshold = 0x7FFFFFFF; // TCP_INFINITE_SSTHRESH: not yet in congestion avoidance

        internal static void Parse(byte[] b, int offset, int length, TcpDetails into)
        {
            into.RetransmitTimeoutMs = Micros(b, offset, length, 8);
            into.LastSendMs = U32(b, offset, length, 44);
            into.LastReceiveMs = U32(b, offset, length, 52);
            into.MaxSegmentSize = U32(b, offset, length, 16);
            into.RoundTripTimeMs = Micros(b, offset, length, 68);
            into.RoundTripTimeVarianceMs = Micros(b, offset, length, 72);
            long? ssthresh = U32(b, offset, length, 76);
            into.SlowStartThreshold = ssthresh == InfiniteSlowStartThreshold ? null : ssthresh;
            into.CongestionWindow = U32(b, offset, length, 80);
            into.RetransmittedSegments = U32(b, offset, length, 100);
            into.BytesAcked = U64(b, offset, length, 120);
            into.BytesReceived = U64(b, offset, length, 128);
            into.MinRoundTripTimeMs = Micros(b, offset, length, 148);
            long? deliveryRate = U64(b, offset, length, 160); // bytes per second
            into.DeliveryRateBitsPerSecond = deliveryRate * 8;
            into.BytesSent = U64(b, offset, length, 200);
            into.BytesRetransmitted = U64(b, offset, length, 208);
        }

        /// <summary>INET_DIAG_CONG: the congestion control algorithm's name, NUL-terminated.</summary>
        internal static string ParseCongestionControl(byte[] b, int offset, int length)
        {
            int end = offset;
            while (end < offset + length && b[end] != 0)
            {
                end++;
            }

            return Encoding.ASCII.GetString(b, offset, end - offset);
        }

        private static long? U32(byte[] b, int offset, int length, int field)
            => field + 4 <= length ? Wire.U32(b, offset + field) : null;

        private static long? U64(byte[] b, int offset, int length, int field)
            => field + 8 <= length ? (long)(Wire.U32(b, offset + field) | ((ulong)Wire.U32(b, offset + field + 4) << 32)) : null;

        private static double? Micros(byte[] b, int offset, int length, int field)
            => U32(b, offset, length, field) / 1000.0;
    }
}
