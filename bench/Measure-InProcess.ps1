<#
  Worker: warm in-process timings of the readers, in one fresh pwsh that imports the module once.
  Prints one JSON line: per case, the timed samples (ms) and how many objects came back.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [int] $Port,
    [int] $Repeat = 7,
    [int] $WarmUp = 2
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

# Each case assigns $r, as a user would ("$r = Get-SockConnection"): the objects are built and kept,
# and nothing is formatted. Cases are dot-sourced so $r lands in this scope and can be counted.
$cases = [ordered]@{
    All       = { $r = Get-SockConnection }
    TimeWait  = { $r = Get-SockConnection -Protocol Tcp -State TimeWait }
    LocalPort = { $r = Get-SockConnection -LocalPort $Port }
    Listener  = { $r = Get-SockListener }
    # Time to the first object when piping: Select-Object -First stops the command upstream.
    First     = { $r = Get-SockConnection | Select-Object -First 1 }
}

$samples = @{}
$counts = @{}
foreach ($name in $cases.Keys) { $samples[$name] = [Collections.Generic.List[double]]::new() }

$clock = [Diagnostics.Stopwatch]::new()
# Rounds run every case once, so a slow phase of the machine hits all cases alike, not one.
for ($round = 0; $round -lt $WarmUp + $Repeat; $round++) {
    foreach ($name in $cases.Keys) {
        # Start every run from a clean heap: otherwise one run pays for collecting the previous one's objects.
        $r = $null
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $clock.Restart()
        . $cases[$name]
        $clock.Stop()
        if ($round -ge $WarmUp) { $samples[$name].Add($clock.Elapsed.TotalMilliseconds) }
        $counts[$name] = @($r).Count
    }
}

# What the reader says it did (owner lookups, kernel filters), outside the timings.
$r = $null
$verbose = @{}
foreach ($name in 'All', 'TimeWait', 'LocalPort', 'Listener') {
    $text = $cases[$name].ToString().Replace('$r = ', '') + ' -Verbose 4>&1'
    $verbose[$name] = @(& ([scriptblock]::Create($text)) | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message)
}

[pscustomobject]@{ Samples = $samples; Counts = $counts; Verbose = $verbose } | ConvertTo-Json -Compress -Depth 5
