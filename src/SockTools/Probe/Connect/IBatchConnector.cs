using System;

namespace SockTools.Probe
{
    /// <summary>
    /// A connector that keeps many connects to IP addresses in flight at once on a few threads of its own, for
    /// targets tried once (no name, no -Wait). Each OS may have one; <see cref="BatchConnector"/> says which.
    /// </summary>
    internal interface IBatchConnector : IDisposable
    {
        /// <summary>Queues a target whose <see cref="ProbeTarget.Literal"/> is set; its outcome comes back through the callbacks the connector was made with.</summary>
        void Enqueue(ProbeTarget target);
    }
}
