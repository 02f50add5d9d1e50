<#
  Worker: CPU cost of Watch-SockState polling, as process CPU time (user + system) over a watch.
  A one-poll watch (-TimeoutSeconds 0: the first snapshot only) and a watch of -Intervals polls
  after it, so the report can tell the first snapshot (every owner looked up) from a steady poll
  (only new sockets looked up). Then the CPU time of -SsRuns whole `ss -tan` runs on the same load:
  issue 16 compares a later poll with what `watch -n1 ss -tan` spends every second. Prints one JSON line.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [double] $IntervalSeconds = 1,
    [int] $Intervals = 10,
    [int] $SsRuns = 7
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$self = [Diagnostics.Process]::GetCurrentProcess()

function Measure-Cpu([scriptblock] $Block) {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    $self.Refresh()
    $before = $self.TotalProcessorTime
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $changes = @(& $Block).Count
    $self.Refresh()
    [pscustomobject]@{
        CpuMilliseconds  = ($self.TotalProcessorTime - $before).TotalMilliseconds
        WallMilliseconds = $clock.Elapsed.TotalMilliseconds
        Changes          = $changes
    }
}

# Warm-up: JIT the watch path once, so the measured first snapshot is not also paying for compilation.
$null = Measure-Cpu { Watch-SockState -TimeoutSeconds 0 }
$first = Measure-Cpu { Watch-SockState -TimeoutSeconds 0 }
# Polls at 0, 1 x interval, ..., Intervals x interval: the watch polls on a fixed grid and its last poll lands on the timeout.
# The steady polls alone: the process CPU time is also sampled 1.5 intervals into the watch, when the first snapshot
# (every owner looked up: hundreds of ms that vary from run to run) and the first poll are over, and again half-way
# between each later pair of polls. From the first sample to the end the watch makes Intervals - 1 polls, and idles in
# between: what watching costs a second, without the first look. Each interval between two samples holds one poll:
# their median is a steady poll without the one-off costs that land in one of them in some runs and not in others
# (the JIT compiling the poll loop anew at its optimizing tier, a background collection of the first look's garbage),
# which a watch that runs for minutes spreads over all its polls.
Add-Type -TypeDefinition @'
public static class BenchCpuProbe
{
    public static System.Threading.Tasks.Task<double[]> SampleEvery(int firstMilliseconds, int everyMilliseconds, int count)
        => System.Threading.Tasks.Task.Run(async () =>
        {
            var samples = new double[count];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                int due = firstMilliseconds + (i * everyMilliseconds) - (int)clock.ElapsedMilliseconds;
                if (due > 0) { await System.Threading.Tasks.Task.Delay(due); }
                samples[i] = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
            }
            return samples;
        });
}
'@
$self.Refresh()
$startCpu = $self.TotalProcessorTime.TotalMilliseconds
$sample = [BenchCpuProbe]::SampleEvery([int] (1500 * $IntervalSeconds), [int] (1000 * $IntervalSeconds), $Intervals - 1)
$long = Measure-Cpu { Watch-SockState -IntervalSeconds $IntervalSeconds -TimeoutSeconds ($IntervalSeconds * $Intervals) }
$self.Refresh()
$cpuSamples = @($sample.Result) + @($self.TotalProcessorTime.TotalMilliseconds)
$perPoll = @(for ($i = 1; $i -lt $cpuSamples.Count; $i++) { $cpuSamples[$i] - $cpuSamples[$i - 1] })
$steady = [pscustomobject]@{ CpuMilliseconds = $cpuSamples[-1] - $cpuSamples[0]; Polls = $Intervals - 1; PerPollCpuMilliseconds = $perPoll; FirstLookCpuMilliseconds = $cpuSamples[0] - $startCpu }

$ssCpu = @(& bash (Join-Path $PSScriptRoot 'cpu-runs.sh') $SsRuns ss -tan | Where-Object { $_ -match '^\d+$' } | ForEach-Object { [double] $_ / 1000 })

[pscustomobject]@{ IntervalSeconds = $IntervalSeconds; Polls = $Intervals + 1; First = $first; Watch = $long; Steady = $steady; SsTanCpuMilliseconds = $ssCpu } | ConvertTo-Json -Compress
