using System;

namespace SockTools.Probe
{
    /// <summary>How Test-SockPort tests: the cmdlet's parameters, already checked and defaulted.</summary>
    internal sealed class ProbeOptions
    {
        /// <summary>One test without -Wait: long enough for a slow path, short enough for a script.</summary>
        internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

        /// <summary>With -Wait: long enough for a database or web server to start.</summary>
        internal static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(30);

        internal static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

        internal const int DefaultThrottleLimit = 256;

        /// <summary>-Wait -TimeoutSeconds 0: keep trying until the condition holds or Ctrl+C, as wait-for-it -t 0 does.</summary>
        internal static readonly TimeSpan NoLimit = TimeSpan.MaxValue;

        /// <summary>The last try at a wait's deadline still gets this long to answer.</summary>
        internal static readonly TimeSpan MinimumTry = TimeSpan.FromMilliseconds(100);

        /// <summary>Without -Wait: each target's limit, name resolution included. With -Wait: how long to keep trying.</summary>
        internal TimeSpan Timeout { get; set; } = DefaultTimeout;

        /// <summary>False for a wait without a time limit (<see cref="NoLimit"/>).</summary>
        internal bool HasTimeLimit => Timeout != NoLimit;

        internal bool Wait { get; set; }

        internal PortCondition Until { get; set; } = PortCondition.Open;

        /// <summary>Pause between tries while waiting.</summary>
        internal TimeSpan Interval { get; set; } = DefaultInterval;

        /// <summary>One result per resolved address instead of one per target.</summary>
        internal bool PerAddress { get; set; }

        /// <summary>How many targets are tried at the same time.</summary>
        internal int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>Explain failures on this host from the socket table (off with -Quiet, which writes no result to explain).</summary>
        internal bool ExplainFailures { get; set; } = true;

        /// <summary>-Verbose is on: the probe threads also report what they did (the addresses a name resolved to).</summary>
        internal bool Verbose { get; set; }

        /// <summary>
        /// While waiting, each try is as long as one test without -Wait: a dropped SYN is then
        /// retried with a fresh connection instead of hanging on the kernel's slow SYN backoff.
        /// </summary>
        internal TimeSpan TryTimeout => Timeout < DefaultTimeout ? Timeout : DefaultTimeout;
    }
}
