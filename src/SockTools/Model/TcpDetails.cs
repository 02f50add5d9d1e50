namespace SockTools
{
    /// <summary>
    /// TCP internals the kernel reports in struct tcp_info (include/uapi/linux/tcp.h) and INET_DIAG_CONG,
    /// read only on request (Get-SockConnection -TcpInfo). Fields the running kernel is too old to
    /// report stay null.
    /// </summary>
    internal sealed class TcpDetails
    {
        internal double? RoundTripTimeMs;
        internal double? RoundTripTimeVarianceMs;
        internal double? MinRoundTripTimeMs;
        internal double? RetransmitTimeoutMs;
        internal string? CongestionControl;
        internal long? CongestionWindow;
        internal long? SlowStartThreshold;
        internal long? MaxSegmentSize;
        internal long? RetransmittedSegments;
        internal long? BytesSent;
        internal long? BytesAcked;
        internal long? BytesReceived;
        internal long? BytesRetransmitted;
        internal long? LastSendMs;
        internal long? LastReceiveMs;
        internal long? DeliveryRateBitsPerSecond;
    }
}
