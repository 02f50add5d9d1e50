# Starting and stopping SockLoad (the socket-load generator) and counting what it holds.

Set-StrictMode -Version Latest

function Start-SockLoad {
    # Starts SockLoad and waits for its one "ready <master-pid> <port> <tcp-sockets>" line.
    param(
        [string] $Path,
        [int] $Connections,
        [int] $Processes = 50,
        [int] $Udp = 100,
        [int] $UnixPairs = 100,
        [int] $TimeWait = 300,
        [int] $TimeoutSeconds = 300,
        # Words before SockLoad, such as 'ip netns exec NAME' (which execs it: the pid, and so the process group, stay the same).
        [string[]] $Prefix = @()
    )
    $words = @($Prefix) + @($Path)
    $info = [Diagnostics.ProcessStartInfo]::new($words[0])
    foreach ($word in @($words | Select-Object -Skip 1)) { $info.ArgumentList.Add($word) }
    foreach ($word in '--connections', $Connections, '--processes', $Processes, '--udp', $Udp, '--unix', $UnixPairs, '--timewait', $TimeWait) {
        $info.ArgumentList.Add([string] $word)
    }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true # the ready line; its stderr (errors) goes to our console
    $process = [Diagnostics.Process]::Start($info)
    $load = [pscustomobject]@{ Process = $process; ProcessGroup = $process.Id; Port = 0; TcpSockets = 0; Connections = $Connections; Processes = $Processes }
    $read = $process.StandardOutput.ReadLineAsync()
    $answered = $read.Wait([TimeSpan]::FromSeconds($TimeoutSeconds))
    $line = if ($answered) { $read.Result }
    if ($line -notmatch '^ready (\d+) (\d+) (\d+)$') {
        $why = if (-not $answered) { "was not ready within $TimeoutSeconds s" } elseif ($null -eq $line) { 'exited before it was ready (its error is above)' } else { "said '$line' instead of 'ready ...'" }
        Stop-SockLoad $load
        throw "SockLoad $why."
    }
    $load.Port = [int] $Matches[2]
    $load.TcpSockets = [int] $Matches[3]
    return $load
}

function Get-ProcessGroupMember {
    # Live (not zombie) processes whose process group is $ProcessGroup, from /proc/<pid>/stat.
    param([int] $ProcessGroup)
    foreach ($dir in [IO.Directory]::EnumerateDirectories('/proc')) {
        $name = [IO.Path]::GetFileName($dir)
        if ($name -notmatch '^\d+$') { continue }
        try { $stat = [IO.File]::ReadAllText("$dir/stat") } catch { continue } # ended while we looked
        # Fields after the command name in parentheses (which may itself hold spaces or ')').
        $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
        if ([int] $fields[2] -eq $ProcessGroup -and $fields[0] -ne 'Z') { [int] $name }
    }
}

function Stop-SockLoad {
    # Kills the master and every child with one signal to the process group (the master made itself its
    # leader), then waits until none of them is alive. Safe to call twice, and on a half-started load.
    param($Load)
    if (-not $Load) { return }
    $kill = (Get-Command kill -CommandType Application | Select-Object -First 1).Source # 'kill' in pwsh is Stop-Process
    & $kill -KILL -- "-$($Load.ProcessGroup)" 2>$null
    if (-not $Load.Process.HasExited) { $Load.Process.Kill() } # before its setpgid, the group did not exist yet
    $Load.Process.WaitForExit(10000) | Out-Null
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while (@(Get-ProcessGroupMember $Load.ProcessGroup).Count -gt 0) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "SockLoad processes of group $($Load.ProcessGroup) are still alive." }
        Start-Sleep -Milliseconds 100
    }
    $Load.Process.Dispose()
}

function Get-SocketCensus {
    # What the table holds right now, counted by ss (the reference tool): TCP by state, UDP, UNIX.
    $tcp = @(& bash -c "ss -tanH | awk '{print `$1}' | sort | uniq -c")
    $states = [ordered]@{}
    foreach ($line in $tcp) {
        if ($line -match '^\s*(\d+)\s+(\S+)$') { $states[$Matches[2]] = [int] $Matches[1] }
    }
    [pscustomobject]@{
        Tcp       = [int] ($states.Values | Measure-Object -Sum).Sum
        TcpStates = $states
        Udp       = [int] (& bash -c 'ss -uanH | wc -l')
        Unix      = [int] (& bash -c 'ss -xanH | wc -l')
    }
}

Export-ModuleMember -Function Start-SockLoad, Stop-SockLoad, Get-ProcessGroupMember, Get-SocketCensus
