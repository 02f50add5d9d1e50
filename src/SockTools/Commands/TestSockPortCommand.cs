using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SockTools.Probe;
using SockTools.Validation;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Tests whether TCP connections to hosts and ports succeed: many targets in parallel, clear statuses, and waiting for a port to open or close.</para>
    /// </summary>
    /// <remarks>
    /// No default parameter set on purpose: PowerShell binds piped objects to the default set
    /// first, and a SocketEntry would then bind its RemoteAddress and RemotePort by property name
    /// (0.0.0.0 and 0 for a listener) instead of going to -InputObject.
    /// </remarks>
    [Cmdlet(VerbsDiagnostic.Test, "SockPort")]
    [OutputType(typeof(PortTestResult))]
    [OutputType(typeof(bool))]
    public sealed class TestSockPortCommand : PSCmdlet, IDisposable
    {
        private const string NameSet = "ComputerName";
        private const string SocketSet = "InputObject";

        /// <summary>Targets handed in but not reported, per throttle slot, before input waits for results: the pipeline never outruns the network by much.</summary>
        private const int PendingPerSlot = 4;

        private readonly List<string> _skippedSockets = new List<string>();
        private ProbeOptions _options = new ProbeOptions();
        private ProbeRunner? _runner;
        private ProbeProgress? _progress;
        private bool _allMet = true;

        /// <summary>Host names or IP addresses (::1 and [::1] too), optionally with a port: db01:5432, [::1]:5432.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
        [Alias("TargetName", "HostName", "RemoteAddress")]
        [AllowEmptyString]
        [ValidateTargetName]
        public string[] ComputerName { get; set; } = Array.Empty<string>();

        /// <summary>TCP ports, 1 to 65535; every name is tested on every port.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
        [Alias("TcpPort", "RemotePort")]
        [ValidatePort]
        public int[]? Port { get; set; }

        /// <summary>Sockets from Get-SockListener (tests the listener) or Get-SockConnection (tests the peer).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = SocketSet)]
        public SocketEntry[] InputObject { get; set; } = Array.Empty<SocketEntry>();

        /// <summary>Seconds each target may take, name resolution included (default 5); with -Wait, how long to keep trying (default 30).</summary>
        [Parameter]
        [ValidateRange(0.001, 86400.0)]
        public double TimeoutSeconds { get; set; }

        /// <summary>Retry until the port opens (or, with -Until Closed, closes) or -TimeoutSeconds runs out; then write error SockTools.PortWaitTimeout.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>What -Wait waits for: Open (default) or Closed. Implies -Wait.</summary>
        [Parameter]
        public PortCondition Until { get; set; } = PortCondition.Open;

        /// <summary>Seconds between tries while waiting (default 1).</summary>
        [Parameter]
        [ValidateRange(0.01, 3600.0)]
        public double IntervalSeconds { get; set; } = ProbeOptions.DefaultInterval.TotalSeconds;

        /// <summary>One result per resolved address instead of one per name and port.</summary>
        [Parameter]
        public SwitchParameter PerAddress { get; set; }

        /// <summary>Write only $true (every target open, or every wait met) or $false.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>How many connection tries run at the same time (default 256: a batch of silent hosts finishes in about one timeout).</summary>
        [Parameter]
        [ValidateRange(1, 10000)]
        public int ThrottleLimit { get; set; } = ProbeOptions.DefaultThrottleLimit;

        /// <summary>Turns the parameters into probe options and starts the runner.</summary>
        protected override void BeginProcessing()
        {
            bool wait = Wait.IsPresent || MyInvocation.BoundParameters.ContainsKey(nameof(Until));
            _options = new ProbeOptions
            {
                Wait = wait,
                Until = Until,
                Interval = TimeSpan.FromSeconds(IntervalSeconds),
                PerAddress = PerAddress.IsPresent,
                ThrottleLimit = ThrottleLimit,
                Timeout = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSeconds))
                    ? TimeSpan.FromSeconds(TimeoutSeconds)
                    : wait ? ProbeOptions.DefaultWaitTimeout : ProbeOptions.DefaultTimeout,
            };
            _runner = new ProbeRunner(_options);
            _progress = new ProbeProgress(_options.Until);
        }

        /// <summary>Starts this input's targets and writes whatever has finished so far.</summary>
        protected override void ProcessRecord()
        {
            foreach (ProbeTarget target in TargetsOfThisInput())
            {
                while (Runner.Pending >= PendingPerSlot * _options.ThrottleLimit && !Stopping)
                {
                    TakeAndWrite(200);
                }

                Runner.Start(target);
            }

            while (TakeAndWrite(0))
            {
            }
        }

        /// <summary>Writes every remaining result as it finishes, then the -Quiet answer.</summary>
        protected override void EndProcessing()
        {
            while (!Runner.IsDone && !Stopping)
            {
                TakeAndWrite(200);
            }

            _progress?.Complete(this);
            if (_skippedSockets.Count > 0)
            {
                WriteWarning($"Skipped {_skippedSockets.Count} socket(s) with nothing to connect to ({string.Join("; ", _skippedSockets.Distinct())}).");
            }

            if (Quiet)
            {
                WriteObject(_allMet);
            }
        }

        /// <summary>Ctrl+C: stops every try and closes its sockets.</summary>
        protected override void StopProcessing() => _runner?.Cancel();

        /// <summary>Stops whatever still runs (after an error with -ErrorAction Stop, say) and waits for it to wind down.</summary>
        public void Dispose() => _runner?.Dispose();

        private ProbeRunner Runner => _runner ?? throw new InvalidOperationException("BeginProcessing has not run.");

        private IEnumerable<ProbeTarget> TargetsOfThisInput()
        {
            if (ParameterSetName == SocketSet)
            {
                foreach (SocketEntry entry in InputObject)
                {
                    ProbeTarget? target = SocketEntryTarget.From(entry, out string? skipped);
                    if (target != null)
                    {
                        yield return target;
                    }
                    else if (skipped != null)
                    {
                        _skippedSockets.Add(skipped);
                    }
                }

                yield break;
            }

            var names = new List<TargetName>();
            foreach (string text in ComputerName)
            {
                // Already validated at binding; parsed again here for its parts.
                if (TargetNameParser.TryParse(text, out TargetName? name, out _))
                {
                    names.Add(name!);
                }
            }

            var missingPort = new List<TargetName>();
            List<ProbeTarget> targets = TargetExpansion.Expand(names, Port, missingPort);
            foreach (TargetName name in missingPort)
            {
                _allMet = false;
                WriteError(Errors.PortMissing(name.Host));
            }

            foreach (ProbeTarget target in targets)
            {
                yield return target;
            }
        }

        /// <summary>Takes one report (waiting up to the given time) and writes it; false when there was none.</summary>
        private bool TakeAndWrite(int millisecondsTimeout)
        {
            bool took = Runner.TryTake(out ProbeReport? report, millisecondsTimeout);
            if (took && report is ProbeFinished finished)
            {
                WriteFinished(finished);
            }
            else if (took && report is ProbeRetrying retrying)
            {
                _progress?.Retrying(retrying.Tried);
                WriteVerbose(RetryText(retrying.Tried));
            }

            _progress?.Update(this, Runner);
            return took;
        }

        private void WriteFinished(ProbeFinished finished)
        {
            _progress?.Finished(finished.Target);
            _allMet &= finished.ConditionMet;
            if (Quiet)
            {
                return;
            }

            foreach (PortTestResult result in finished.Results)
            {
                WriteObject(result);
            }

            if (finished.WaitExpired)
            {
                WriteError(Errors.PortWaitTimeout(finished.Target.Endpoint, _options.Until, WaitExpiredText(finished)));
            }
        }

        private string WaitExpiredText(ProbeFinished finished)
        {
            PortTestResult last = finished.Results.FirstOrDefault(r => (r.Status == PortStatus.Open) == (_options.Until == PortCondition.Closed))
                ?? finished.Results.First();
            string goal = _options.Until == PortCondition.Open ? "open" : "close";
            string why = last.Message?.TrimEnd('.') ?? $"{last.Status} via {last.RemoteAddress}";
            return $"{finished.Target.Endpoint} did not {goal} within {NameResolver.Seconds(_options.Timeout)} s ({last.Attempts} tries; last: {why}).";
        }

        private static string RetryText(WaitTry tried)
        {
            PortTestResult first = tried.Results.First();
            return $"{tried.Target.Endpoint}: try {tried.Attempt} {first.Status}{(first.RemoteAddress != null ? " via " + first.RemoteAddress : string.Empty)}; {NameResolver.Seconds(tried.Left)} s left.";
        }
    }
}
