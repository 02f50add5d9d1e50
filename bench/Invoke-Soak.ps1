<#
.SYNOPSIS
    The Watch-SockState soak (issue 10): a watch at -IntervalSeconds 0.1 for 30 minutes over a load that
    opens and closes connections continuously; memory, fds and every change it missed.

.DESCRIPTION
    Builds nothing: run `dotnet pwsh -NoProfile ./build.ps1` (the module) and
    `dotnet build bench/SockLoad -c Release` (the load) first. Then:

      1. When root, makes a network namespace socktools-soak-<pid> so no other traffic mixes in.
      2. Starts Watch-SoakChanges.ps1 in a pwsh of its own: Watch-SockState -Protocol Tcp -LocalAddress
         127.0.61.0/24 -IntervalSeconds <interval>, every change streamed to a CSV file.
      3. Starts SockLoad --churn, which opens -Rate connections a second on 127.0.61.0/24 for -Minutes and
         logs each one (both 4-tuples, open and close times).
      4. Every minute samples the watching pwsh: VmRSS and open fds (/proc/<pid>), CPU time, and how busy
         the rest of the machine was.
      5. Lets the load finish and the watch see its last closes, then stops everything (also on Ctrl+C or a
         failure: the load's process group is killed, the watcher killed, the namespace deleted).
      6. Checks every logged connection against the changes (SoakMatcher.cs) and writes the report.

    The report goes to the console and to bench/results/soak-<yyyy-MM-dd>.md for a run of 30 minutes or
    more, else to out/soak/ (short runs are for trying it out; their memory verdict says "not enough
    minutes" below 20). Raw logs stay in out/soak/<time>/. Exit code 1 when a criterion FAILs.

.EXAMPLE
    dotnet pwsh -NoProfile bench/Invoke-Soak.ps1 -Minutes 30 -IntervalSeconds 0.1
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 1440)] [int] $Minutes = 30,
    [ValidateRange(0.05, 60)] [double] $IntervalSeconds = 0.1,
    # The built module (a .psd1 or its folder). Default: out/SockTools/0.1.0/SockTools.psd1.
    [string] $ModulePath,
    # SockLoad's executable. Default: bench/SockLoad/bin/Release/net10.0/SockLoad.
    [string] $SockLoadPath,
    [ValidateRange(1, 1000)] [int] $Rate = 100,
    [int] $Seed = 1,
    [string] $OutFile,
    # Run in the current network namespace even when root.
    [switch] $NoNamespace
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
foreach ($module in 'BenchHelpers', 'BenchLoad', 'BenchSystem', 'SoakProcess', 'SoakCompare', 'SoakReport') {
    Import-Module (Join-Path $PSScriptRoot "$module.psm1") -Force
}

$root = Split-Path $PSScriptRoot -Parent
if (-not $ModulePath) { $ModulePath = Join-Path $root 'out/SockTools/0.1.0/SockTools.psd1' }
if (Test-Path $ModulePath -PathType Container) { $ModulePath = Join-Path $ModulePath 'SockTools.psd1' }
if (-not (Test-Path $ModulePath)) { throw "No built module at ${ModulePath}: run 'dotnet pwsh -NoProfile ./build.ps1' first." }
$ModulePath = (Resolve-Path $ModulePath).Path
if (-not $SockLoadPath) { $SockLoadPath = Join-Path $PSScriptRoot 'SockLoad/bin/Release/net10.0/SockLoad' }
if (-not (Test-Path $SockLoadPath)) { throw "SockLoad is not built: dotnet build $PSScriptRoot/SockLoad -c Release" }
$SockLoadPath = (Resolve-Path $SockLoadPath).Path

# The load's addresses (SockLoad ChurnLoad.cs): listeners 127.0.61.1-2, clients 127.0.61.101-108.
$loadAddresses = '127.0.61.0/24'
$invariant = [Globalization.CultureInfo]::InvariantCulture
$work = Join-Path $root ('out/soak/' + (Get-Date).ToUniversalTime().ToString('yyyyMMdd-HHmmss'))
New-Item -ItemType Directory -Path $work -Force | Out-Null
$loadLog = Join-Path $work 'connections.csv'
$changesLog = Join-Path $work 'changes.csv'
$messagesLog = Join-Path $work 'watch-messages.log'

$useNamespace = -not $NoNamespace -and (Test-NamespaceSupport)
$namespace = "socktools-soak-$PID"
$prefix = @()
$notes = [Collections.Generic.List[string]]::new()
if (-not (Test-Root)) { $notes.Add('Not run as root: the destroy notifications are off, so connections shorter than one interval go unseen (the criteria do not count those).') }
$loadSeconds = $Minutes * 60 + 5     # outlives the last sample, so every minute is sampled under load
$watchSeconds = $Minutes * 60 + 35   # outlives the load by ~25 s, so its last closes are seen
$watcher = $null
$load = $null
$samples = [Collections.Generic.List[object]]::new()
try {
    if ($useNamespace) {
        Remove-StaleSoakNamespace
        New-BenchNamespace -Name $namespace
        $prefix = @('ip', 'netns', 'exec', $namespace)
    }
    else {
        $notes.Add('Ran in the current network namespace (not root, or -NoNamespace); the watch is limited to 127.0.61.0/24, which only the load uses.')
    }
    $quiet = Wait-QuietCpu -Before 'the soak' -TimeoutSeconds 60
    if ($quiet) { $notes.Add($quiet) }

    Write-Host "Starting the watch (every $IntervalSeconds s on $loadAddresses, $watchSeconds s) and the load ($Rate connections/s for $loadSeconds s); raw logs in $work"
    $watcher = Start-SoakWatcher -ModulePath $ModulePath -ChangesPath $changesLog -MessagesPath $messagesLog -IntervalSeconds $IntervalSeconds `
        -TimeoutSeconds $watchSeconds -LocalAddress $loadAddresses -Prefix $prefix
    Start-Sleep -Milliseconds 1500 # the watch's first snapshot: the load must not be in it, or its first connections would never be 'Opened'

    $watchPid = $watcher.Process.Id
    $before = [pscustomobject]@{ Machine = Get-MachineSample; Watcher = Get-ProcessSample $watchPid -FdReads 10; LoadCpu = 0.0 }
    $samples.Add([pscustomobject]@{ Minute = 0; RssKB = $before.Watcher.RssKB; Fds = $before.Watcher.Fds; FdTargets = $before.Watcher.FdTargets; WatcherCpu = $null; LoadCpu = $null; Changes = $null; OtherCpu = $null })
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $load = Start-ChurnLoad -Path $SockLoadPath -Seconds $loadSeconds -Rate $Rate -Seed $Seed -LogPath $loadLog -Prefix $prefix
    $loadPid = $load.Process.Id

    for ($minute = 1; $minute -le $Minutes; $minute++) {
        while ($clock.Elapsed.TotalSeconds -lt 60 * $minute) {
            if ($watcher.Process.HasExited) { throw "The watcher pwsh ended early (exit code $($watcher.Process.ExitCode)); see $messagesLog." }
            if ($load.Process.HasExited) { throw "SockLoad --churn ended early (exit code $($load.Process.ExitCode))." }
            Start-Sleep -Milliseconds ([Math]::Max(1, [Math]::Min(1000, 1000 * (60 * $minute - $clock.Elapsed.TotalSeconds))))
        }
        $now = [pscustomobject]@{ Machine = Get-MachineSample; Watcher = Get-ProcessSample $watchPid -FdReads 10; LoadCpu = (Get-ProcessSample $loadPid).CpuSeconds }
        $seconds = ($now.Machine.Cpu.Total - $before.Machine.Cpu.Total) / [Environment]::ProcessorCount / [double] (& getconf CLK_TCK)
        $watchCpu = $now.Watcher.CpuSeconds - $before.Watcher.CpuSeconds
        $loadCpu = $now.LoadCpu - $before.LoadCpu
        $sample = [pscustomobject]@{
            Minute     = $minute
            RssKB      = $now.Watcher.RssKB
            Fds        = $now.Watcher.Fds
            FdTargets  = $now.Watcher.FdTargets
            WatcherCpu = $watchCpu / $seconds
            LoadCpu    = $loadCpu / $seconds
            Changes    = $null # filled from the changes file afterwards
            OtherCpu   = Get-OtherCpuShare $before.Machine $now.Machine ($watchCpu + $loadCpu)
        }
        $samples.Add($sample)
        $before = $now
        Write-Host ('minute {0,3}: watch RSS {1,7:N1} MB, {2} fds, CPU {3:P0} of a core; load CPU {4:P0}; other processes {5:P0} of the machine' -f `
                $minute, ($sample.RssKB / 1KB), $sample.Fds, $sample.WatcherCpu, $sample.LoadCpu, $sample.OtherCpu)
    }

    $loadCounts = Wait-ChurnLoad $load -TimeoutSeconds 120
    Write-Host "The load is done: $($loadCounts.Made) connections, $($loadCounts.Errors) errors. Waiting for the watch to end."
    if (-not $watcher.Process.WaitForExit(1000 * 120)) { throw 'The watch did not end by its -TimeoutSeconds.' }
    if ($watcher.Process.ExitCode -ne 0) { throw "The watcher pwsh failed (exit code $($watcher.Process.ExitCode)); see $messagesLog." }
}
finally {
    # Whatever happened (Ctrl+C included): no process and no namespace of ours outlives the soak.
    try { Stop-SoakWatcher $watcher } catch { Write-Warning "Stopping the watcher: $_" }
    try { Stop-SockLoad $load } catch { Write-Warning "Stopping the load: $_" }
    if ($useNamespace) { Remove-BenchNamespace $namespace }
}

Write-Host 'Comparing the load''s log with the watch''s changes'
$messages = @(Read-SharedLine $messagesLog)
$endedLine = $messages | Where-Object { $_ -like 'ended *' } | Select-Object -First 1
$watchEnd = [DateTime]::Parse($endedLine.Substring(6), $invariant, [Globalization.DateTimeStyles]::RoundtripKind).ToUniversalTime()
$changes = Read-SoakChange -Path $changesLog -StartUtc $load.StartedUtc
foreach ($s in $samples | Where-Object Minute -ge 1) {
    $n = 0
    if ($changes.PerMinute.TryGetValue($s.Minute - 1, [ref] $n)) { $s.Changes = $n } else { $s.Changes = 0 }
}
$match = Compare-SoakRun -LoadLogPath $loadLog -Changes $changes -IntervalSeconds $IntervalSeconds -WatchEndUtc $watchEnd
# Poll spacing while the load runs (its first seconds left out: the load is still filling up).
$pollGaps = Get-PollGap $changes $load.StartedUtc.AddSeconds(5) $load.StartedUtc.AddSeconds($loadSeconds)

foreach ($line in $messages | Where-Object { $_ -like 'warning *' }) { $notes.Add("Watch-SockState warned: $($line.Substring(8))") }
if ($loadCounts.Errors -gt 0 -or $loadCounts.Skipped -gt 0) { $notes.Add("SockLoad --churn: $($loadCounts.Errors) errors (said on the console), $($loadCounts.Skipped) opens skipped after stalls of more than a second.") }
$busy = @($samples | Where-Object { $null -ne $_.OtherCpu -and $_.OtherCpu -gt 0.25 })
if ($busy.Count -gt 0) {
    $notes.Add("Other processes used more than 25 % of the machine in $($busy.Count) of $Minutes minutes (up to {0:P0}): the machine is shared, and a slow poll is more likely then." -f (($busy | Measure-Object OtherCpu -Maximum).Maximum))
}
$notes.Add("Raw logs (not committed): $work")

$command = "Watch-SockState -Protocol Tcp -LocalAddress $loadAddresses -IntervalSeconds $($IntervalSeconds.ToString($invariant))"
$machine = Get-MachineInfo -Root $root -ModulePath $ModulePath
$machine.Remove('Tools')
$machine['Isolation'] = if ($useNamespace) { "network namespace $namespace (only the load in it)" } else { 'current network namespace' }
$machine['Load'] = "SockLoad --churn: $Rate connections/s for $loadSeconds s, listeners 127.0.61.1:23001 and 127.0.61.2:23002, clients 127.0.61.101-108 ports 24000-31999 (seed $Seed)"
$machine['Destroy notifications'] = if ($watcher.DestroyFeed) { $watcher.DestroyFeed } else { 'unknown' }
$run = [pscustomobject]@{
    Machine      = $machine
    Options      = [pscustomobject]@{ Minutes = $Minutes; IntervalSeconds = $IntervalSeconds; Rate = $Rate; Seed = $Seed }
    WatchCommand = $command
    Load         = $loadCounts
    Samples      = $samples.ToArray()
    Changes      = $changes
    Match        = $match
    PollGaps     = $pollGaps
    Verdicts     = Get-SoakVerdict -Samples $samples.ToArray() -Match $match
    Notes        = $notes
}
$report = New-SoakReport $run
Write-Host ''
Write-Host $report
if (-not $OutFile) {
    $date = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd')
    if ($Minutes -ge 30) {
        $folder = Join-Path $PSScriptRoot 'results'
        $OutFile = Join-Path $folder "soak-$date.md"
        for ($i = 2; Test-Path $OutFile; $i++) { $OutFile = Join-Path $folder "soak-$date-$i.md" } # keep an earlier run of the day
    }
    else {
        $OutFile = Join-Path $work "soak-$date-${Minutes}min.md"
    }
}
Set-Content -Path $OutFile -Value $report -Encoding utf8
Write-Host "Report: $OutFile"
if (@($run.Verdicts | Where-Object Result -eq 'FAIL').Count -gt 0) { exit 1 }
