<#
  Worker: in-process cases against whole-process commands, in rounds, as Measure-Rounds.ps1 times them
  (one fresh pwsh, module imported once, a full GC before each case, every case and every command once per
  round) but for any cases: the UNIX and the network-namespace blocks of the benchmark. Prints one JSON line.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # In-process cases as JSON: {"name": "script text assigning $r", ...}
    [Parameter(Mandatory)] [string] $CasesJson,
    # Whole-process commands as JSON: {"name": ["program", "arg", ...], ...}
    [string] $ExternalJson = '{}',
    [int] $Repeat = 7,
    [int] $WarmUp = 2
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$timer = Join-Path $PSScriptRoot 'time-runs.sh'

$cases = [ordered]@{}
foreach ($p in ($CasesJson | ConvertFrom-Json).PSObject.Properties) { $cases[$p.Name] = [scriptblock]::Create([string] $p.Value) }
$external = [ordered]@{}
foreach ($p in ($ExternalJson | ConvertFrom-Json).PSObject.Properties) { $external[$p.Name] = [string[]] $p.Value }

$samples = @{}
$counts = @{}
foreach ($name in $cases.Keys) { $samples[$name] = [Collections.Generic.List[double]]::new() }
$wholeProcess = @{}
foreach ($name in $external.Keys) { $wholeProcess[$name] = [ordered]@{ Samples = [Collections.Generic.List[double]]::new(); Error = $null } }

$clock = [Diagnostics.Stopwatch]::new()
$cpuBefore = Get-CpuTicks
$ownBefore = Get-OwnTicks
for ($round = 0; $round -lt $WarmUp + $Repeat; $round++) {
    $keep = $round -ge $WarmUp
    foreach ($name in $cases.Keys) {
        $r = $null
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $clock.Restart()
        . $cases[$name]
        $clock.Stop()
        if ($keep) { $samples[$name].Add($clock.Elapsed.TotalMilliseconds) }
        $counts[$name] = @($r).Count
    }
    $r = $null
    foreach ($name in $external.Keys) {
        if ($wholeProcess[$name].Error) { continue }
        $line = [string] (& bash $timer 1 @($external[$name]))
        if ($line -notmatch '^\d+$') { $wholeProcess[$name].Error = "'$($external[$name] -join ' ')' failed ($line)"; continue }
        if ($keep) { $wholeProcess[$name].Samples.Add([double] $line / 1000) }
    }
}
$otherCpu = Get-OtherCpuFraction $cpuBefore (Get-CpuTicks) $ownBefore (Get-OwnTicks)

[pscustomobject]@{ InProcess = [pscustomobject]@{ Samples = $samples; Counts = $counts }; External = $wholeProcess; OtherCpu = $otherCpu } | ConvertTo-Json -Compress -Depth 6
