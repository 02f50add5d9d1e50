using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using SockTools.Query;
using SockTools.Table;
using SockTools.Watch;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">Streams socket changes as they happen: opened, state changed (Established -> TimeWait), closed.</para>
    /// <para type="description">Polls the socket table every -IntervalSeconds and writes one SocketChange per difference, until -Count changes, -TimeoutSeconds, a downstream Select-Object -First, or Ctrl+C.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Watch, "SockState", DefaultParameterSetName = OneNamespaceSet)]
    [OutputType(typeof(SocketChange))]
    public sealed class WatchSockStateCommand : ConnectionCommandBase, IDisposable
    {
        /// <summary>Extra type name of changes watched with -AllNetworkNamespaces: their view shows the namespace.</summary>
        internal const string ChangeNamespaceTypeName = "SockTools.SocketChange#Namespace";

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        /// <summary>Seconds between looks at the table (0.05 to 3600).</summary>
        [Parameter]
        [ValidateRange(0.05, 3600.0)]
        public double IntervalSeconds { get; set; } = 1;

        /// <summary>Stop after this many seconds (at most a year).</summary>
        [Parameter]
        [ValidateRange(0.0, 31536000.0)]
        public double TimeoutSeconds { get; set; }

        /// <summary>Stop after this many changes.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Start with one Opened change per socket that already exists.</summary>
        [Parameter]
        public SwitchParameter IncludeExisting { get; set; }

        /// <summary>Ends the watch within one interval when Ctrl+C is pressed.</summary>
        protected override void StopProcessing() => _stop.Cancel();

        /// <summary>Releases the stop signal.</summary>
        public void Dispose() => _stop.Dispose();

        private protected override void Execute(SocketQuery query)
        {
            TimeSpan interval = TimeSpan.FromSeconds(IntervalSeconds);
            TimeSpan? timeout = MyInvocation.BoundParameters.ContainsKey(nameof(TimeoutSeconds)) ? TimeSpan.FromSeconds(TimeoutSeconds) : null;
            var schedule = new PollSchedule(interval, timeout);
            int written = 0;

            using var watch = new SocketWatch(query, Session, CanCatchShortLived(query));
            WriteVerbose($"Watching every {interval.TotalSeconds:0.###} s" + (timeout is null ? " until stopped" : $" for {timeout.Value.TotalSeconds:0.###} s") + (Count > 0 ? $" or {Count} change(s)." : "."));
            List<SocketChange> changes = watch.Start(IncludeExisting.IsPresent);
            while (true)
            {
                foreach (SocketChange change in changes)
                {
                    WriteObject(Shown(EntryTypeNames.Of(change, UnixOutput), null, ChangeNamespaceTypeName));
                    if (Count > 0 && ++written >= Count)
                    {
                        return;
                    }
                }

                if (schedule.IsOver || WaitFor(schedule.UntilNext()))
                {
                    return;
                }

                try
                {
                    changes = watch.Look();
                }
                catch (SocketTableException e)
                {
                    // One failed look is an error, not the end of the watch: the next good look is compared with
                    // the last good one, so no change is lost, only seen later.
                    WriteError(Errors.TableFailed(e));
                    changes = new List<SocketChange>();
                }
            }
        }

        /// <summary>
        /// Destroy notifications catch connections shorter than one interval. They carry no owner and no
        /// history, so they are used only when the query filters on neither process nor state.
        /// </summary>
        private bool CanCatchShortLived(SocketQuery query)
        {
            if (query.FiltersOnOwner || State is { Length: > 0 })
            {
                WriteVerbose("Destroy notifications off: -ProcessId, -ProcessName and -State cannot be applied to sockets already gone; connections shorter than one interval may be missed.");
                return false;
            }

            return true;
        }

        /// <summary>Sleeps, waking at once on Ctrl+C; true when stopped.</summary>
        private bool WaitFor(TimeSpan delay)
        {
            if (delay > TimeSpan.Zero && _stop.Token.WaitHandle.WaitOne(delay))
            {
                return true;
            }

            return _stop.IsCancellationRequested;
        }
    }
}
