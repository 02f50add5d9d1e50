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
    # Whole-process commands too slow at this size to repeat (ss -tanp at 500,000 sockets): run once
    # after the rounds, each under a time limit, same JSON form.
    [string] $OnceJson = '{}',
    [int] $OnceTimeoutSeconds = 900,
    [int] $Repeat = 7,
    [int] $WarmUp = 2,
    # Only these in-process cases (names of $cases below, 'ReaderOnly' included), and none of the checks,
    # probes and verbose runs after the rounds: a second worker timing a few rows under another runtime setting.
    [string[]] $Only = @()
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')
$timer = Join-Path $PSScriptRoot 'time-runs.sh'

# Each case assigns $r, as a user would ("$r = Get-SockConnection"): the objects are built and kept,
# and nothing is formatted. Cases are dot-sourced so $r lands in this scope and can be counted.
$cases = [ordered]@{
    All       = { $r = Get-SockConnection }
    # The full TCP read with owners: what issue 16 compares with `ss -tan` and across sizes.
    Tcp       = { $r = Get-SockConnection -Protocol Tcp }
    TimeWait  = { $r = Get-SockConnection -Protocol Tcp -State TimeWait }
    LocalPort = { $r = Get-SockConnection -LocalPort $Port }
    Listener  = { $r = Get-SockListener }
    # The counting cmdlets (issue 16 target 4): one read without owners, then tallies.
    Summary   = { $r = Get-SockSummary }
    PortUsage = { $r = Get-SockPortUsage }
    # Time to the first object when piping: Select-Object -First stops the command upstream.
    First     = { $r = Get-SockConnection | Select-Object -First 1 }
    # Running it again in a session: the previous result is still in $r while the new one is built.
    Again     = { $r = Get-SockConnection }
    # pwsh alone: as many new objects of an entry's size as the TCP read returns, written from a cmdlet that
    # does nothing else (PwshFloor.cs). Not ours to make faster; the report sets it beside the growth target.
    Floor     = { $r = Write-EntrySizedObject $floorCount }
}
# Cases timed right after an untimed run of themselves, with no forced GC: what a user re-running a
# command sees, garbage collections of the previous result included.
$afterItself = @('Again')
# The floor writes as many objects as the TCP read returns here (counted once, untimed; it also warms the read).
# FreshMemory.cs measures what this host charges for a page never touched before (after the rounds).
Add-Type -Path (Join-Path $PSScriptRoot 'PwshFloor.cs'), (Join-Path $PSScriptRoot 'FreshMemory.cs') -PassThru |
    Where-Object Name -EQ 'WriteEntrySizedObjectCommand' | ForEach-Object { Import-Module $_.Assembly }
$floorCount = @(Get-SockConnection -Protocol Tcp).Count
$external = [ordered]@{}
foreach ($p in ($ExternalJson | ConvertFrom-Json).PSObject.Properties) { $external[$p.Name] = [string[]] $p.Value }

$inProcess = @{}
$counts = @{}
foreach ($name in $cases.Keys) { $inProcess[$name] = [Collections.Generic.List[double]]::new() }
$wholeProcess = @{}
foreach ($name in $external.Keys) { $wholeProcess[$name] = [ordered]@{ Samples = [Collections.Generic.List[double]]::new(); Error = $null } }

function New-ReaderCall {
    # The module's reader alone (rows, owners, entries), without pwsh's pipeline: a scriptblock that reads the
    # TCP table through the internal API by reflection and counts the entries, keeping none. A refactor may break
    # it; then it throws, and the rows that use it say n/a and why.
    $asm = [SockTools.SocketEntry].Assembly
    $flags = [Reflection.BindingFlags] 'NonPublic, Public, Static, Instance'
    $log = $asm.GetType('SockTools.Completers.CompletionSnapshot+DiscardLog', $true).GetField('Instance', $flags).GetValue($null)
    $sessionType = $asm.GetType('SockTools.Table.TableSession', $true)
    $queryType = $asm.GetType('SockTools.Query.SocketQuery', $true)
    $read = $asm.GetType('SockTools.Table.SocketTable', $true).GetMethod('Read', $flags)
    $count = [Linq.Enumerable].GetMethods() | Where-Object { $_.Name -eq 'Count' -and $_.GetParameters().Count -eq 1 } | Select-Object -First 1
    $count = $count.MakeGenericMethod([SockTools.SocketEntry])
    {
        $query = [Activator]::CreateInstance($queryType, $true)
        $queryType.GetProperty('IncludeUdp', $flags).SetValue($query, $false)
        # Every constructor argument, optional ones too (reflection does not fill in defaults).
        $ctor = $sessionType.GetConstructors($flags) | Select-Object -First 1
        $arguments = @($log) + @($null) * ($ctor.GetParameters().Count - 1)
        $session = $ctor.Invoke($arguments)
        $count.Invoke($null, @(, $read.Invoke($null, @($query, $session))))
    }.GetNewClosure()
}

function Measure-ReaderAllocation {
    param($Call, $Why)
    if (-not $Call) { return [pscustomobject]@{ Sockets = $null; BytesPerSocket = $null; Error = $Why } }
    try {
        $null = & $Call
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $before = [GC]::GetTotalAllocatedBytes($true)
        $sockets = & $Call
        $bytes = [GC]::GetTotalAllocatedBytes($true) - $before
        [pscustomobject]@{ Sockets = $sockets; BytesPerSocket = if ($sockets) { $bytes / $sockets } else { $null }; Error = $null }
    }
    catch {
        [pscustomobject]@{ Sockets = $null; BytesPerSocket = $null; Error = "$_" }
    }
}

# The reader alone, entries counted and dropped: how our own work grows, apart from keeping the objects.
$readerWhy = $null
$readerCall = try { New-ReaderCall } catch { $readerWhy = "$_"; $null }
if ($readerCall) {
    $cases['ReaderOnly'] = { $r = & $readerCall }
    $inProcess['ReaderOnly'] = [Collections.Generic.List[double]]::new()
}
if ($Only) {
    # From the command line (-File) a list arrives as one comma-separated word.
    $Only = @($Only | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
    foreach ($name in @($cases.Keys | Where-Object { $_ -notin $Only })) { $cases.Remove($name); $inProcess.Remove($name) }
}
# Minor page faults of this process (all threads) during each timed run: new heap pages, each faulted in once.
$faults = @{}
foreach ($name in $cases.Keys) { $faults[$name] = [Collections.Generic.List[long]]::new() }
# Garbage collections during each timed run, per generation (0, 1, 2): each copies what survives, and all of a read's objects survive.
$collections = @{}
foreach ($name in $cases.Keys) { $collections[$name] = [Collections.Generic.List[int[]]]::new() }

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
        $faultsBefore = [SockToolsBench.FreshMemory]::MinorFaults()
        $gcBefore = @([GC]::CollectionCount(0), [GC]::CollectionCount(1), [GC]::CollectionCount(2))
        $clock.Restart()
        . $cases[$name]
        $clock.Stop()
        $faultsAfter = [SockToolsBench.FreshMemory]::MinorFaults()
        if ($keep) {
            $inProcess[$name].Add($clock.Elapsed.TotalMilliseconds)
            $faults[$name].Add($faultsAfter - $faultsBefore)
            $collections[$name].Add([int[]] @(([GC]::CollectionCount(0) - $gcBefore[0]), ([GC]::CollectionCount(1) - $gcBefore[1]), ([GC]::CollectionCount(2) - $gcBefore[2])))
        }
        $counts[$name] = if ($name -eq 'ReaderOnly') { $r } else { @($r).Count } # the reader alone returns its count
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

foreach ($p in ($OnceJson | ConvertFrom-Json).PSObject.Properties) {
    # 'timeout' ends a command that would hold the run for longer than anyone waits (exit 124).
    $line = [string] (& bash $timer 1 timeout $OnceTimeoutSeconds @([string[]] $p.Value))
    $wholeProcess[$p.Name] = if ($line -match '^\d+$') { [ordered]@{ Samples = @([double] $line / 1000); Error = $null; Once = $true } }
    elseif ($line -eq 'fail 124') { [ordered]@{ Samples = $null; Error = "did not finish within $OnceTimeoutSeconds s"; Once = $true } }
    else { [ordered]@{ Samples = $null; Error = "'$($p.Value -join ' ')' failed ($line)"; Once = $true } }
}

if ($Only) {
    # A second worker (another runtime setting): its rows and nothing else.
    [pscustomobject]@{ InProcess = [pscustomobject]@{ Samples = $inProcess; Counts = $counts; Faults = $faults; Collections = $collections }; OtherCpu = $otherCpu } | ConvertTo-Json -Compress -Depth 6
    return
}

# The host's price of a page never touched before, three times (150 MB: about what a 500,000-socket read keeps).
$r = $null
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
$freshMemory = @(1..3 | ForEach-Object { [SockToolsBench.FreshMemory]::Measure(150) })

# Checks on the full TCP read, outside the timings: every socket that has a file (all but TIME_WAIT
# and request sockets) must have its owner, and what one read allocates per socket (all threads,
# pwsh's own collecting of $r included).
$r = $null
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
$allocatedBefore = [GC]::GetTotalAllocatedBytes($true)
$r = Get-SockConnection -Protocol Tcp
$allocated = [GC]::GetTotalAllocatedBytes($true) - $allocatedBefore
# An established socket still in its listener's accept queue has no file yet (Inode null): nobody owns it.
$established = @($r | Where-Object State -EQ Established)
$withFile = @($established | Where-Object { $null -ne $_.Inode })
$reader = Measure-ReaderAllocation $readerCall $readerWhy
$checks = [ordered]@{
    Sockets                 = @($r).Count
    BytesPerSocket          = if (@($r).Count) { $allocated / @($r).Count } else { $null }
    ReaderBytesPerSocket    = $reader.BytesPerSocket
    ReaderError             = $reader.Error
    Established             = $established.Count
    EstablishedWithoutFile  = $established.Count - $withFile.Count
    EstablishedWithoutOwner = @($withFile | Where-Object { $null -eq $_.ProcessId }).Count
}
$withFile = $null
$r = $null
$established = $null

# What the reader says it did (owner lookups, kernel filters), outside the timings. The verbose
# stream goes to a file, not into the pipeline: entries stream while the owner scan runs, so a
# slow consumer downstream would stretch the durations the reader reports.
$verbose = @{}
$log = [IO.Path]::GetTempFileName()
try {
    foreach ($name in 'All', 'Tcp', 'TimeWait', 'LocalPort', 'Listener') {
        $text = $cases[$name].ToString() + " -Verbose 4> '$log'"
        . ([scriptblock]::Create($text))
        $verbose[$name] = @(Get-Content $log)
    }
}
finally {
    $r = $null
    Remove-Item $log -ErrorAction SilentlyContinue
}

[pscustomobject]@{ InProcess = [pscustomobject]@{ Samples = $inProcess; Counts = $counts; Faults = $faults; Collections = $collections; Verbose = $verbose; Checks = $checks }; External = $wholeProcess; OtherCpu = $otherCpu; FreshMemory = $freshMemory } | ConvertTo-Json -Compress -Depth 6
