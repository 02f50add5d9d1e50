<#
  Worker: CPU cost of Watch-SockState polling, as process CPU time (user + system) over a watch.
  A one-poll watch (-TimeoutSeconds 0: the first snapshot only) and a watch of -Intervals polls
  after it, so the report can tell the first snapshot (every owner looked up) from a steady poll
  (only new sockets looked up). Prints one JSON line.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [double] $IntervalSeconds = 1,
    [int] $Intervals = 10
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
$long = Measure-Cpu { Watch-SockState -IntervalSeconds $IntervalSeconds -TimeoutSeconds ($IntervalSeconds * $Intervals) }

[pscustomobject]@{ IntervalSeconds = $IntervalSeconds; Polls = $Intervals + 1; First = $first; Watch = $long } | ConvertTo-Json -Compress
