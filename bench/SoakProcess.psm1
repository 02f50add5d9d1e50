# The processes of the soak (bench/Invoke-Soak.ps1): the churn load (SockLoad --churn), the watcher pwsh
# (Watch-SoakChanges.ps1), what /proc says about them every minute, and the soak's network namespace.

Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1'), (Join-Path $PSScriptRoot 'BenchLoad.psm1')

# Seconds per clock tick of /proc/<pid>/stat (USER_HZ, 100 on every Linux build that matters).
$script:TicksPerSecond = [double] (& getconf CLK_TCK)

function Start-SoakProcess {
    # Process.Start of a command line given as words, optionally behind a prefix ('ip netns exec NAME'
    # execs the command in place, so the pid we get is the command's own). Standard output is
    # redirected only with -ReadOutput (the load's ready/done lines); everything else reaches our console.
    param([string[]] $Command, [string[]] $Prefix = @(), [switch] $ReadOutput)
    $words = @($Prefix) + @($Command)
    $info = [Diagnostics.ProcessStartInfo]::new($words[0])
    foreach ($word in $words | Select-Object -Skip 1) { $info.ArgumentList.Add([string] $word) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = [bool] $ReadOutput
    [Diagnostics.Process]::Start($info)
}

function Start-SoakWatcher {
    # Starts Watch-SoakChanges.ps1 in a fresh pwsh and waits until its measured watch begins; returns the
    # process and the moment (UTC) the watch started.
    param([string] $ModulePath, [string] $ChangesPath, [string] $MessagesPath, [double] $IntervalSeconds,
        [double] $TimeoutSeconds, [string] $LocalAddress, [string[]] $Prefix = @(), [int] $ReadySeconds = 120)
    # setpriv (util-linux) arms PR_SET_PDEATHSIG and execs pwsh in place: if the soak is killed outright
    # (SIGKILL skips its finally block), the watcher dies with it instead of watching on until its timeout.
    $orphanGuard = if (Get-Command setpriv -CommandType Application -ErrorAction SilentlyContinue) { @('setpriv', '--pdeathsig', 'KILL', '--') } else { @() }
    $command = $orphanGuard + @(Get-PwshCommand) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Watch-SoakChanges.ps1'),
        '-ModulePath', $ModulePath, '-ChangesPath', $ChangesPath, '-MessagesPath', $MessagesPath,
        '-IntervalSeconds', $IntervalSeconds.ToString([Globalization.CultureInfo]::InvariantCulture),
        '-TimeoutSeconds', $TimeoutSeconds.ToString([Globalization.CultureInfo]::InvariantCulture), '-LocalAddress', $LocalAddress)
    $process = Start-SoakProcess -Command $command -Prefix $Prefix
    $watcher = [pscustomobject]@{ Process = $process; StartedUtc = $null; DestroyFeed = $null }
    $deadline = [DateTime]::UtcNow.AddSeconds($ReadySeconds)
    while ([DateTime]::UtcNow -lt $deadline -and -not $process.HasExited) {
        $lines = @(if (Test-Path $MessagesPath) { Read-SharedLine $MessagesPath })
        $line = $lines | Where-Object { $_ -like 'watching *' } | Select-Object -First 1
        if ($line) {
            $watcher.StartedUtc = [DateTime]::Parse($line.Substring(9), [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind)
            $watcher.DestroyFeed = ($lines | Where-Object { $_ -like 'verbose Destroy notifications*' } | Select-Object -First 1) -replace '^verbose ', ''
            return $watcher
        }
        Start-Sleep -Milliseconds 200
    }
    Stop-SoakWatcher $watcher
    $why = if ($process.HasExited) { "exited with code $($process.ExitCode)" } else { "did not start watching within $ReadySeconds s" }
    throw "The watcher pwsh $why; its messages: $(if (Test-Path $MessagesPath) { (Read-SharedLine $MessagesPath) -join ' / ' })"
}

function Read-SharedLine {
    # Lines of a file another process still has open for writing (Get-Content would do too, but this
    # never takes a lock the writer could trip on).
    param([string] $Path)
    $stream = [IO.FileStream]::new($Path, 'Open', 'Read', 'ReadWrite')
    try { ([IO.StreamReader]::new($stream)).ReadToEnd() -split "`n" | Where-Object { $_ } }
    finally { $stream.Dispose() }
}

function Stop-SoakWatcher {
    # Normally the watcher has ended by its own -TimeoutSeconds; this is for failures and Ctrl+C.
    param($Watcher)
    if (-not $Watcher -or -not $Watcher.Process) { return }
    if (-not $Watcher.Process.HasExited) {
        $Watcher.Process.Kill()
        $Watcher.Process.WaitForExit(10000) | Out-Null
    }
}

function Start-ChurnLoad {
    # Starts SockLoad --churn and waits for its 'ready <pid> <port> <sockets>' line. The result also works
    # with Stop-SockLoad (BenchLoad.psm1), which kills its process group: SockLoad makes itself the leader.
    param([string] $Path, [int] $Seconds, [int] $Rate, [int] $Seed, [string] $LogPath, [string[]] $Prefix = @(), [int] $ReadySeconds = 30)
    $process = Start-SoakProcess -Prefix $Prefix -ReadOutput -Command @($Path, '--churn', $Seconds, '--rate', $Rate, '--seed', $Seed, '--log', $LogPath)
    $load = [pscustomobject]@{ Process = $process; ProcessGroup = $process.Id; Done = $null; StartedUtc = [DateTime]::UtcNow }
    $read = $process.StandardOutput.ReadLineAsync()
    $line = if ($read.Wait([TimeSpan]::FromSeconds($ReadySeconds))) { $read.Result }
    if ($line -notmatch '^ready \d+ \d+ \d+$') {
        Stop-SockLoad $load
        throw "SockLoad --churn did not say 'ready' (it said '$line'); its error, if any, is above."
    }
    $load.Done = $process.StandardOutput.ReadLineAsync() # 'done <made> <errors> <skipped>' at the end
    return $load
}

function Wait-ChurnLoad {
    # Waits for the load's 'done' line and its exit; returns the counts it reported.
    param($Load, [int] $TimeoutSeconds)
    if (-not $Load.Done.Wait([TimeSpan]::FromSeconds($TimeoutSeconds)) -or $Load.Done.Result -notmatch '^done (\d+) (\d+) (\d+)$') {
        throw "SockLoad --churn did not finish within $TimeoutSeconds s of its planned end."
    }
    $counts = [pscustomobject]@{ Made = [long] $Matches[1]; Errors = [long] $Matches[2]; Skipped = [long] $Matches[3] }
    $Load.Process.WaitForExit(10000) | Out-Null
    return $counts
}

function Get-FdTarget {
    # What each open fd of a process points at (readlink of /proc/<pid>/fd/*), sorted.
    param([int] $ProcessId)
    $targets = foreach ($fd in [IO.Directory]::GetFileSystemEntries("/proc/$ProcessId/fd")) {
        try { ([IO.FileInfo]::new($fd)).LinkTarget } catch { } # closed while we looked
    }
    @($targets | Where-Object { $_ } | Sort-Object)
}

function Get-ProcessSample {
    # One process as /proc sees it now: resident memory (VmRSS, kB), open fds, and CPU seconds so far.
    # A poll holds a few fds for a moment (netlink, /proc directories), so one look may catch them: fds are
    # the fewest of -FdReads looks over about a second, and FdTargets what they pointed at in that look.
    param([int] $ProcessId, [int] $FdReads = 1)
    $status = [IO.File]::ReadAllText("/proc/$ProcessId/status")
    $rss = if ($status -match '(?m)^VmRSS:\s+(\d+) kB') { [long] $Matches[1] } else { $null }
    $stat = [IO.File]::ReadAllText("/proc/$ProcessId/stat")
    $f = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
    $fewest = $null
    for ($i = 0; $i -lt $FdReads; $i++) {
        if ($i -gt 0) { Start-Sleep -Milliseconds 100 }
        $targets = Get-FdTarget $ProcessId
        if ($null -eq $fewest -or $targets.Count -lt $fewest.Count) { $fewest = $targets }
    }
    [pscustomobject]@{ RssKB = $rss; Fds = $fewest.Count; FdTargets = $fewest; CpuSeconds = ([long] $f[11] + [long] $f[12]) / $script:TicksPerSecond }
}

function Get-MachineSample {
    # Machine-wide CPU ticks (BenchHelpers.psm1) and this script's own, to tell other processes' share.
    [pscustomobject]@{ Cpu = Get-CpuTicks; OwnSeconds = (Get-OwnTicks) / $script:TicksPerSecond }
}

function Get-OtherCpuShare {
    # Share of the whole machine (all cores) that processes other than the soak's own three used
    # between two machine samples; $OursSeconds is the CPU the watcher and the load used meanwhile.
    param($Before, $After, [double] $OursSeconds)
    $total = $After.Cpu.Total - $Before.Cpu.Total
    if ($total -le 0) { return 0.0 }
    $ours = ($OursSeconds + $After.OwnSeconds - $Before.OwnSeconds) * $script:TicksPerSecond
    [Math]::Max(0.0, (($After.Cpu.Busy - $Before.Cpu.Busy) - $ours) / $total)
}

function Remove-StaleSoakNamespace {
    # Namespaces socktools-soak-<pid> whose soak no longer runs: left by a soak killed outright (SIGKILL
    # skips finally blocks). Their processes died with it (PR_SET_PDEATHSIG, or the watch's own timeout).
    foreach ($line in @(& ip netns list 2>$null)) {
        if ($line -match '^(socktools-soak-(\d+))\b' -and -not (Test-Path "/proc/$($Matches[2])")) {
            Write-Host "Removing the namespace $($Matches[1]) of an earlier, killed soak"
            & ip netns del $Matches[1] 2>$null
        }
    }
}

Export-ModuleMember -Function Start-SoakWatcher, Stop-SoakWatcher, Read-SharedLine, Start-ChurnLoad, Wait-ChurnLoad, Get-ProcessSample, Get-MachineSample, Get-OtherCpuShare, Remove-StaleSoakNamespace
