using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SockTools.Probe
{
    /// <summary>
    /// Runs targets concurrently, at most ThrottleLimit connect tries at a time, and queues their
    /// reports for the pipeline thread to take: PowerShell's Write* methods must not be called
    /// from any other thread. Cancel stops every try and closes its sockets; Dispose also waits
    /// for the running targets to wind down.
    /// </summary>
    internal sealed class ProbeRunner : IDisposable
    {
        private static readonly TimeSpan WindDown = TimeSpan.FromSeconds(5);

        private readonly ProbeOptions _options;
        private readonly SemaphoreSlim _slots;
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly BlockingCollection<ProbeReport> _reports = new BlockingCollection<ProbeReport>(new ConcurrentQueue<ProbeReport>());
        private readonly Queue<ProbeReport> _ready = new Queue<ProbeReport>(); // explained on the taking thread, handed out before anything queued after it: the taking thread's alone
        private readonly ManualResetEventSlim _idle = new ManualResetEventSlim(true);
        private readonly object _count = new object();
        private readonly ResultExplainer _explainer = new ResultExplainer();
        private int _pending;
        private int _started;
        private int _finished;
        private IBatchConnector? _fast;

        // One batch connector per network namespace connected from: its workers enter that namespace once, at start.
        private readonly Dictionary<ConnectOrigin, IBatchConnector> _fastFrom = new Dictionary<ConnectOrigin, IBatchConnector>();

        internal ProbeRunner(ProbeOptions options)
        {
            _options = options;
            _slots = new SemaphoreSlim(options.ThrottleLimit, options.ThrottleLimit);
        }

        /// <summary>Targets handed in and not reported yet.</summary>
        internal int Pending => Volatile.Read(ref _pending);

        internal int Started => Volatile.Read(ref _started);

        internal int Finished => Volatile.Read(ref _finished);

        /// <summary>Nothing runs and every report has been taken.</summary>
        internal bool IsDone => Pending == 0 && _reports.Count == 0 && _ready.Count == 0;

        internal void Start(ProbeTarget target)
        {
            lock (_count)
            {
                _pending++;
                _started++;
                _idle.Reset();
            }

            if (ConnectPath.IsFast(target, _options))
            {
                // An address, tried once: the poll-based fast path, with no task per connect.
                FastConnectorFor(target.Origin).Enqueue(target);
                return;
            }

            _ = Task.Run(() => RunAsync(target));
        }

        /// <summary>
        /// The next report, waiting up to <paramref name="millisecondsTimeout"/>; false on timeout or once cancelled.
        /// A finished target on this host that failed is explained here, on the pipeline thread that takes it: a thousand
        /// refused ports then wait for the one table read in one place instead of as a thousand thread-pool continuations,
        /// whose hand-offs and idle spinning cost more CPU than the connects themselves on a small machine. Take on one
        /// thread only.
        /// </summary>
        internal bool TryTake(out ProbeReport? report, int millisecondsTimeout)
        {
            if (_ready.Count > 0)
            {
                report = _ready.Dequeue();
                return true;
            }

            try
            {
                if (!_reports.TryTake(out report, millisecondsTimeout, _cancel.Token))
                {
                    return false;
                }
            }
            catch (OperationCanceledException)
            {
                report = null;
                return false;
            }

            if (_options.ExplainFailures && report is ProbeFinished finished)
            {
                // Its -Verbose notes (the table read for it) go out before it, as they happened.
                _ready.Enqueue(Explained(finished));
                report = _ready.Dequeue();
            }

            return true;
        }

        internal void Cancel()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already disposed: nothing runs any more.
            }
        }

        public void Dispose()
        {
            Cancel();
            _fast?.Dispose(); // its workers see the cancellation, close their sockets and end
            foreach (IBatchConnector from in _fastFrom.Values)
            {
                from.Dispose();
            }

            // Targets still running hold these; leave them to the garbage collector rather than pull them away.
            if (_idle.Wait(WindDown))
            {
                _cancel.Dispose();
                _slots.Dispose();
                _reports.Dispose();
                _idle.Dispose();
            }
        }

        private IBatchConnector FastConnectorFor(ConnectOrigin? origin)
        {
            if (origin is null)
            {
                return _fast ??= BatchConnector.Create(_options.Timeout, _slots, _cancel.Token, FastDone, _ => Done());
            }

            if (!_fastFrom.TryGetValue(origin, out IBatchConnector? connector))
            {
                _fastFrom.Add(origin, connector = BatchConnector.Create(_options.Timeout, _slots, _cancel.Token, FastDone, _ => Done(), origin));
            }

            return connector;
        }

        private async Task RunAsync(ProbeTarget target)
        {
            try
            {
                ProbeFinished finished = _options.Wait ? await WaitAsync(target).ConfigureAwait(false) : await OnceAsync(target).ConfigureAwait(false);
                _reports.Add(finished);
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                // Stopped by the user: nothing to report.
            }
            catch (Exception e)
            {
                // A bug in one target must neither lose it silently nor stop the others.
                ReportFailure(target, e);
            }
            finally
            {
                Done();
            }
        }

        /// <summary>A fast-path connect ended: report it like any other target (explained, when it needs that, as it is taken).</summary>
        private void FastDone(ProbeTarget target, ConnectOutcome outcome)
        {
            try
            {
                var results = new[] { TargetTry.ResultOf(target, outcome, _options.Timeout) };
                _reports.Add(new ProbeFinished(target, results, WaitCondition.IsMet(PortCondition.Open, results), waitExpired: false));
            }
            catch (Exception e) when (!(e is OperationCanceledException || e is ObjectDisposedException || e is InvalidOperationException))
            {
                ReportFailure(target, e);
            }
            finally
            {
                Done();
            }
        }

        private void ReportFailure(ProbeTarget target, Exception e) => _reports.Add(Failure(target, e));

        private static ProbeFinished Failure(ProbeTarget target, Exception e)
        {
            var result = new PortTestResult(target.ComputerName, null, target.Port, PortStatus.Error, null, null, null, 1, "Test-SockPort failed unexpectedly: " + e.Message, networkNamespace: target.Origin?.Label);
            return new ProbeFinished(target, new[] { result }, conditionMet: false, waitExpired: false);
        }

        /// <summary>
        /// The finished target with a diagnosis on each result on this host that is not open (no table read otherwise).
        /// Waits for the table read it needs, which all the failures of one run share.
        /// </summary>
        private ProbeFinished Explained(ProbeFinished finished)
        {
            ProbeTarget target = finished.Target;
            Action<string>? note = _options.Verbose ? text => _ready.Enqueue(new ProbeNote(target, $"{target.Endpoint}: not open; {text}.")) : (Action<string>?)null;
            try
            {
                IReadOnlyList<PortTestResult> results = _explainer.Explain(finished.Results, target.Origin, note);
                return ReferenceEquals(results, finished.Results) ? finished : finished.With(results);
            }
            catch (Exception e)
            {
                // A bug in one explanation must neither lose its target silently nor stop the others.
                return Failure(target, e);
            }
        }

        private void Done()
        {
            lock (_count)
            {
                _finished++;
                if (--_pending == 0)
                {
                    _idle.Set();
                }
            }
        }

        private async Task<ProbeFinished> OnceAsync(ProbeTarget target)
        {
            IReadOnlyList<PortTestResult> results = await TryGatedAsync(target, _options.Timeout, _cancel.Token).ConfigureAwait(false);
            return new ProbeFinished(target, results, WaitCondition.IsMet(PortCondition.Open, results), waitExpired: false);
        }

        private async Task<ProbeFinished> WaitAsync(ProbeTarget target)
        {
            WaitOutcome outcome = await PortWaiter.RunAsync(
                target,
                _options,
                (timeout, cancel) => TryGatedAsync(target, timeout, cancel),
                tried => _reports.Add(new ProbeRetrying(tried)),
                _cancel.Token).ConfigureAwait(false);
            return new ProbeFinished(target, outcome.Results, outcome.ConditionMet, waitExpired: !outcome.ConditionMet);
        }

        /// <summary>One try, holding one of the ThrottleLimit slots only while it connects.</summary>
        private async Task<IReadOnlyList<PortTestResult>> TryGatedAsync(ProbeTarget target, TimeSpan timeout, CancellationToken cancel)
        {
            await _slots.WaitAsync(cancel).ConfigureAwait(false);
            try
            {
                Action<string>? note = _options.Verbose ? text => _reports.Add(new ProbeNote(target, text)) : (Action<string>?)null;
                return await TargetTry.TryOnceAsync(target, _options.PerAddress, timeout, cancel, note).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
    }
}
