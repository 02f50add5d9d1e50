<#
  Worker: the timed rounds at one load. One fresh pwsh imports the module once; every round runs each
  in-process case once AND each whole-process command (ss, netstat, psutil) once, so all of them share
  the same moments of the run: a slow phase of a shared 2-core machine then hits every row alike and
  the ratios stay fair. The first -WarmUp rounds are not kept. Prints one JSON line.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [int] $Port,
    # Whole-process commands as JSON: {"name": ["program", "arg", ...], ...}
    [string] $ExternalJson = '{}',
    [int] $Repeat = 7,
    [int] $WarmUp = 2
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$timer = Join-Path $PSScriptRoot 'time-runs.sh'

# Each case assigns $r, as a user would ("$r = Get-SockConnection"): the objects are built and kept,
# and nothing is formatted. Cases are dot-sourced so $r lands in this scope and can be counted.
$cases = [ordered]@{
    All       = { $r = Get-SockConnection }
    TimeWait  = { $r = Get-SockConnection -Protocol Tcp -State TimeWait }
    LocalPort = { $r = Get-SockConnection -LocalPort $Port }
    Listener  = { $r = Get-SockListener }
    # Time to the first object when piping: Select-Object -First stops the command upstream.
    First     = { $r = Get-SockConnection | Select-Object -First 1 }
    # Running it again in a session: the previous result is still in $r while the new one is built.
    Again     = { $r = Get-SockConnection }
}
# Cases timed right after an untimed run of themselves, with no forced GC: what a user re-running a
# command sees, garbage collections of the previous result included.
$afterItself = @('Again')
$external = [ordered]@{}
foreach ($p in ($ExternalJson | ConvertFrom-Json).PSObject.Properties) { $external[$p.Name] = [string[]] $p.Value }

$inProcess = @{}
$counts = @{}
foreach ($name in $cases.Keys) { $inProcess[$name] = [Collections.Generic.List[double]]::new() }
$wholeProcess = @{}
foreach ($name in $external.Keys) { $wholeProcess[$name] = [ordered]@{ Samples = [Collections.Generic.List[double]]::new(); Error = $null } }

$clock = [Diagnostics.Stopwatch]::new()
$cpuBefore = Get-CpuTicks
$ownBefore = Get-OwnTicks
for ($round = 0; $round -lt $WarmUp + $Repeat; $round++) {
    $keep = $round -ge $WarmUp
    foreach ($name in $cases.Keys) {
        if ($name -in $afterItself) {
            . $cases[$name]
        }
        else {
            # Start from a clean heap: otherwise one run pays for collecting the previous one's objects.
            $r = $null
            [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        }
        $clock.Restart()
        . $cases[$name]
        $clock.Stop()
        if ($keep) { $inProcess[$name].Add($clock.Elapsed.TotalMilliseconds) }
        $counts[$name] = @($r).Count
    }
    $r = $null
    foreach ($name in $external.Keys) {
        if ($wholeProcess[$name].Error) { continue }
        # bash times the command itself (fork, exec, run, exit), output to /dev/null: see time-runs.sh.
        $line = [string] (& bash $timer 1 @($external[$name]))
        if ($line -notmatch '^\d+$') { $wholeProcess[$name].Error = "'$($external[$name] -join ' ')' failed ($line)"; continue }
        if ($keep) { $wholeProcess[$name].Samples.Add([double] $line / 1000) }
    }
}

# Whatever else ran meanwhile (someone's build on this 2-core machine) slowed every row: say how much.
$otherCpu = Get-OtherCpuFraction $cpuBefore (Get-CpuTicks) $ownBefore (Get-OwnTicks)

# What the reader says it did (owner lookups, kernel filters), outside the timings. The verbose
# stream goes to a file, not into the pipeline: entries stream while the owner scan runs, so a
# slow consumer downstream would stretch the durations the reader reports.
$verbose = @{}
$log = [IO.Path]::GetTempFileName()
try {
    foreach ($name in 'All', 'TimeWait', 'LocalPort', 'Listener') {
        $text = $cases[$name].ToString() + " -Verbose 4> '$log'"
        . ([scriptblock]::Create($text))
        $verbose[$name] = @(Get-Content $log)
    }
}
finally {
    $r = $null
    Remove-Item $log -ErrorAction SilentlyContinue
}

[pscustomobject]@{ InProcess = [pscustomobject]@{ Samples = $inProcess; Counts = $counts; Verbose = $verbose }; External = $wholeProcess; OtherCpu = $otherCpu } | ConvertTo-Json -Compress -Depth 6
