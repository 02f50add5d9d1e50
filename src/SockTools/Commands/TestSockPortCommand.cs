using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SockTools.Completers;
using SockTools.Probe;
using SockTools.Table;
using SockTools.Validation;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Tests whether TCP connections to hosts and ports succeed: many targets in parallel, clear statuses, and waiting for a port to open or close.</para>
    /// </summary>
    /// <remarks>
    /// ComputerName is the default set, so that a call without arguments prompts for it. PowerShell
    /// latches piped input onto the default set when that set is the only one taking a mandatory
    /// parameter by property name; a SocketEntry would then bind its RemoteAddress and RemotePort
    /// (0.0.0.0 and 0 for a listener) instead of reaching -InputObject. -InputObject therefore also
    /// takes its value by property name, which keeps both sets open until the object's type decides.
    /// </remarks>
    [Cmdlet(VerbsDiagnostic.Test, "SockPort", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(PortTestResult))]
    [OutputType(typeof(bool))]
    public sealed class TestSockPortCommand : PSCmdlet, IDisposable
    {
        private const string NameSet = "ComputerName";
        private const string SocketSet = "InputObject";

        /// <summary>Extra type name of results tested from another network namespace: their view shows the namespace.</summary>
        internal const string NamespaceTypeName = "SockTools.PortTestResult#Namespace";

        /// <summary>Targets handed in but not written (running, or done and held for their turn), per throttle slot, before input waits for results: the pipeline never outruns the network by much.</summary>
        private const int PendingPerSlot = 4;

        private readonly List<string> _skippedSockets = new List<string>();
        private readonly HashSet<ConnectOrigin> _resolverWarned = new HashSet<ConnectOrigin>();
        private ConnectOrigins? _origins;
        private ConnectOrigin? _origin;

        /// <summary>Results (and PortMissing errors) in the order their targets were given.</summary>
        private readonly InputOrder<object> _order = new InputOrder<object>();
        private ProbeOptions _options = new ProbeOptions();
        private ProbeRunner? _runner;
        private ProbeProgress? _progress;
        private bool _allMet = true;

        /// <summary>Host names or IP addresses (::1 and [::1] too), optionally with a port: db01:5432, [::1]:5432; hashtables with ComputerName and Port keys too.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
        [Alias("TargetName", "HostName", "RemoteAddress")]
        [AllowEmptyString]
        [TargetTable]
        [ValidateTargetName]
        public string[] ComputerName { get; set; } = Array.Empty<string>();

        /// <summary>TCP ports, 1 to 65535; every name is tested on every port.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
        [Alias("TcpPort", "RemotePort")]
        [ValidatePort]
        public int[]? Port { get; set; }

        /// <summary>Sockets from Get-SockListener (tests the listener) or Get-SockConnection (tests the peer).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = SocketSet)]
        public SocketEntry[] InputObject { get; set; } = Array.Empty<SocketEntry>();

        /// <summary>Seconds each target may take, name resolution included (default 5); with -Wait, how long to keep trying (default 30; 0 for no time limit).</summary>
        [Parameter]
        [ValidateTimeout]
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

        /// <summary>Connect from inside this network namespace (a name from ip netns, a path such as /proc/1234/ns/net, or a label such as net:[4026532281]); piped sockets are otherwise tested from the namespace they were read in.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(NetworkNamespaceCompleter))]
        [ValidateNotNullOrEmpty]
        public string? NetworkNamespace { get; set; }

        /// <summary>Turns the parameters into probe options and starts the runner.</summary>
        protected override void BeginProcessing()
        {
            bool wait = Wait.IsPresent || MyInvocation.BoundParameters.ContainsKey(nameof(Until));
            bool timeoutGiven = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSeconds));
            if (timeoutGiven && TimeoutSeconds == ValidateTimeoutAttribute.NoLimit && !wait)
            {
                ThrowTerminatingError(Errors.NoTimeLimitWithoutWait());
            }

            _options = new ProbeOptions
            {
                Wait = wait,
                Until = Until,
                Interval = TimeSpan.FromSeconds(IntervalSeconds),
                PerAddress = PerAddress.IsPresent,
                ThrottleLimit = ThrottleLimit,
                Timeout = !timeoutGiven ? (wait ? ProbeOptions.DefaultWaitTimeout : ProbeOptions.DefaultTimeout)
                    : TimeoutSeconds == ValidateTimeoutAttribute.NoLimit ? ProbeOptions.NoLimit
                    : TimeSpan.FromSeconds(TimeoutSeconds),
                Verbose = VerboseWanted(),
                ExplainFailures = !Quiet, // -Quiet writes no result, so nothing to explain
            };
            if (NetworkNamespace is not null)
            {
                try
                {
                    _origin = Origins.Open(NetworkNamespace, NamespaceArgument.PathOf(this, NetworkNamespace));
                }
                catch (SocketTableException e)
                {
                    ThrowTerminatingError(Errors.TableFailed(e));
                }
            }

            _runner = new ProbeRunner(_options);
            _progress = new ProbeProgress(_options.Until);
        }

        /// <summary>Starts this input's targets and writes whatever has had its turn so far.</summary>
        protected override void ProcessRecord()
        {
            foreach (object item in ItemsOfThisInput())
            {
                if (item is ErrorRecord missingPort)
                {
                    // Written in its turn, like a result.
                    _order.Admit(missingPort);
                    _order.Complete(missingPort, missingPort);
                    continue;
                }

                var target = (ProbeTarget)item;
                while (_order.Unreleased >= PendingPerSlot * _options.ThrottleLimit && !Runner.IsDone && !Stopping)
                {
                    TakeAndWrite(200);
                }

                _order.Admit(target);
                if (_options.Verbose)
                {
                    WriteVerbose(ConnectPath.Describe(target, _options));
                }

                Runner.Start(target);
            }

            WriteReady();
            while (TakeAndWrite(0))
            {
            }
        }

        /// <summary>Writes every remaining result in its turn, then the -Quiet answer.</summary>
        protected override void EndProcessing()
        {
            while (!Runner.IsDone && !Stopping)
            {
                TakeAndWrite(200);
            }

            if (!Stopping)
            {
                // Normally nothing is left; should a target ever go unreported, the ones after it still come out.
                foreach (object item in _order.TakeAll())
                {
                    Write(item);
                }
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

        /// <summary>Stops whatever still runs (after an error with -ErrorAction Stop, say) and waits for it to wind down; then lets go of the namespaces.</summary>
        public void Dispose()
        {
            _runner?.Dispose();
            _origins?.Dispose();
        }

        private ProbeRunner Runner => _runner ?? throw new InvalidOperationException("BeginProcessing has not run.");

        private ConnectOrigins Origins => _origins ??= new ConnectOrigins();

        /// <summary>This input's targets in order, with an error record in the place of a name that has no port.</summary>
        private IEnumerable<object> ItemsOfThisInput()
        {
            if (ParameterSetName == SocketSet)
            {
                foreach (SocketEntry entry in InputObject)
                {
                    if (!TryOriginOf(entry, out ConnectOrigin? origin, out ErrorRecord? unopened))
                    {
                        _allMet = false;
                        yield return unopened!;
                        continue;
                    }

                    ProbeTarget? target = SocketEntryTarget.From(entry, out string? skipped, origin);
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

            foreach (string text in ComputerName)
            {
                // Already validated at binding; parsed again here for its parts.
                if (!TargetNameParser.TryParse(text, out TargetName? name, out _))
                {
                    continue;
                }

                var missingPort = new List<TargetName>();
                foreach (ProbeTarget target in TargetExpansion.Expand(new[] { name! }, Port, missingPort, _origin))
                {
                    WarnOfResolver(target);
                    yield return target;
                }

                if (missingPort.Count > 0)
                {
                    _allMet = false;
                    yield return name!.BracketHint != null
                        ? Errors.PortMissingAfterBareIPv6(name.Host, name.Literal!.ToString(), name.BracketHint)
                        : Errors.PortMissing(name.Host);
                }
            }
        }

        /// <summary>
        /// Where to test a piped socket from: -NetworkNamespace when given, else the namespace the socket was read in
        /// (a container's listener on 127.0.0.1 is reachable from inside that container only). False, with the error,
        /// when that namespace cannot be opened any more.
        /// </summary>
        private bool TryOriginOf(SocketEntry entry, out ConnectOrigin? origin, out ErrorRecord? error)
        {
            origin = _origin;
            error = null;
            if (origin is not null || entry.NetworkNamespace is null)
            {
                return true;
            }

            try
            {
                origin = Origins.Open(entry.NetworkNamespace, null);
                return true;
            }
            catch (SocketTableException e)
            {
                error = Errors.TableFailed(e);
                return false;
            }
        }

        /// <summary>
        /// Names are resolved by this host's resolver wherever the connection starts. When the namespace has resolver
        /// files of its own (ip netns exec would use them), say once that they are not read.
        /// </summary>
        private void WarnOfResolver(ProbeTarget target)
        {
            if (target.Literal is null && target.Origin is { } origin && _resolverWarned.Add(origin) && origin.Namespace.OwnResolverFiles is { } files)
            {
                WriteWarning($"Names are resolved by this host's resolver; network namespace {origin.Label} has resolver files of its own ({files}), which Test-SockPort does not read. Give IP addresses to test exactly what {origin.Label} reaches.");
            }
        }

        /// <summary>Takes one report (waiting up to the given time), writes what has had its turn; false when there was none.</summary>
        private bool TakeAndWrite(int millisecondsTimeout)
        {
            bool took = Runner.TryTake(out ProbeReport? report, millisecondsTimeout);
            switch (report)
            {
                case ProbeFinished finished when took:
                    _progress?.Finished(finished.Target);
                    _allMet &= finished.ConditionMet;
                    if (_options.Verbose)
                    {
                        WriteVerbose(ProbeNarration.Finished(finished, _options));
                    }

                    _order.Complete(finished.Target, finished);
                    WriteReady();
                    break;
                case ProbeRetrying retrying when took:
                    _progress?.Retrying(retrying.Tried);
                    if (_options.Verbose)
                    {
                        WriteVerbose(ProbeNarration.Retrying(retrying.Tried));
                    }

                    break;
                case ProbeNote note when took:
                    WriteVerbose(note.Text);
                    break;
            }

            _progress?.Update(this, Runner);
            return took;
        }

        private void WriteReady()
        {
            foreach (object item in _order.TakeReady())
            {
                Write(item);
            }
        }

        private void Write(object item)
        {
            if (item is ErrorRecord error)
            {
                WriteError(error);
            }
            else if (item is ProbeFinished finished && !Quiet)
            {
                foreach (PortTestResult result in finished.Results)
                {
                    WriteObject(Shown(result));
                }

                if (finished.WaitExpired)
                {
                    WriteError(Errors.PortWaitTimeout(finished.Target.Endpoint, _options.Until, WaitExpiredText(finished)));
                }
            }
        }

        /// <summary>A result tested from another network namespace gets the view that shows which one.</summary>
        private static object Shown(PortTestResult result)
        {
            if (result.NetworkNamespace is null)
            {
                return result;
            }

            var shown = new PSObject(result);
            shown.TypeNames.Insert(0, NamespaceTypeName);
            return shown;
        }

        private string WaitExpiredText(ProbeFinished finished)
        {
            PortTestResult last = finished.Results.FirstOrDefault(r => (r.Status == PortStatus.Open) == (_options.Until == PortCondition.Closed))
                ?? finished.Results.First();
            string goal = _options.Until == PortCondition.Open ? "open" : "close";
            string why = last.Message?.TrimEnd('.') ?? $"{last.Status} via {last.RemoteAddress}";
            string text = $"{finished.Target.Endpoint} did not {goal}{finished.Target.FromWhere} within {NameResolver.Seconds(_options.Timeout)} s ({last.Attempts} tries; last: {why}).";
            return last.Explanation is string explanation ? text + " " + explanation : text; // why, read from the table where it connected from
        }

        /// <summary>-Verbose given, or $VerbosePreference asks for it: only then do the probe threads collect what to tell.</summary>
        private bool VerboseWanted()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Verbose", out object? given) && given is SwitchParameter verbose)
            {
                return verbose.IsPresent;
            }

            return GetVariableValue("VerbosePreference") is ActionPreference preference
                && preference != ActionPreference.SilentlyContinue
                && preference != ActionPreference.Ignore;
        }
    }
}
