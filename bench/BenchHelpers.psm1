# Measuring primitives of the benchmark: statistics, waiting for an idle machine, and running a
# measurement script in a fresh pwsh (whole-process timing itself is time-runs.sh). No reporting here (BenchReport.psm1).

Set-StrictMode -Version Latest

function Get-Median {
    # The median resists the odd slow run (a GC, a timer tick, another process) better than the mean.
    param([double[]] $Values)
    if (-not $Values -or $Values.Count -eq 0) { return $null }
    $sorted = [double[]] ($Values | Sort-Object)
    $middle = [int] [Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$middle] }
    return ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

function Get-CpuTicks {
    # Clock ticks since boot from /proc/stat: Busy (user, nice, system, irq, softirq, steal) and Total
    # (Busy + idle + iowait), summed over all cores. Guest time is already inside user, so not added.
    $f = @((Get-Content /proc/stat -TotalCount 1) -split '\s+' | Select-Object -Skip 1 -First 8 | ForEach-Object { [long] $_ })
    $busy = $f[0] + $f[1] + $f[2] + $f[5] + $f[6] + $f[7]
    [pscustomobject]@{ Busy = $busy; Total = $busy + $f[3] + $f[4] }
}

function Get-OwnTicks {
    # CPU ticks of this process plus its waited-for descendants (utime, stime, cutime, cstime of
    # /proc/self/stat): with Get-CpuTicks, tells how much of the machine OTHER processes used.
    $stat = [IO.File]::ReadAllText('/proc/self/stat')
    $f = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
    [long] $f[11] + [long] $f[12] + [long] $f[13] + [long] $f[14]
}

function Get-OtherCpuFraction {
    # Share of the whole machine (all cores) used by processes other than this one and its children
    # between two snapshots taken with Get-CpuTicks and Get-OwnTicks.
    param($CpuBefore, $CpuAfter, [long] $OwnBefore, [long] $OwnAfter)
    $total = $CpuAfter.Total - $CpuBefore.Total
    if ($total -le 0) { return 0.0 }
    [Math]::Max(0.0, (($CpuAfter.Busy - $CpuBefore.Busy) - ($OwnAfter - $OwnBefore)) / $total)
}

function Get-CpuBusyFraction {
    # Share of all cores busy over a short window.
    param([int] $WindowMilliseconds = 500)
    $a = Get-CpuTicks
    Start-Sleep -Milliseconds $WindowMilliseconds
    $b = Get-CpuTicks
    $total = $b.Total - $a.Total
    if ($total -le 0) { return 0.0 }
    return ($b.Busy - $a.Busy) / $total
}

function Wait-QuietCpu {
    # The machine has 2 cores: a build or test run by someone else would stretch every number.
    # Waits until the machine is (nearly) idle; returns a note when it never got quiet, else $null.
    param([string] $Before, [double] $Threshold = 0.10, [int] $TimeoutSeconds = 300)
    # SOCKBENCH_QUIET_TIMEOUT (seconds) caps the wait: a smoke run on a busy machine need not wait at all.
    if ($env:SOCKBENCH_QUIET_TIMEOUT -match '^\d+$') { $TimeoutSeconds = [Math]::Min($TimeoutSeconds, [int] $env:SOCKBENCH_QUIET_TIMEOUT) }
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ($true) {
        $busy = Get-CpuBusyFraction # at least one look, even with no time to wait
        if ($busy -le $Threshold) { return $null }
        if ([DateTime]::UtcNow -ge $deadline) { break }
        Start-Sleep -Milliseconds 500
    }
    $note = "CPU was {0:P0} busy (other processes) before {1}; measured anyway." -f $busy, $Before
    Write-Warning $note
    return $note
}

function Get-PwshCommand {
    # The pwsh running this script, as a command line: under 'dotnet pwsh' (the local tool) the
    # process is the dotnet host, and pwsh.dll is its first argument.
    $exe = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
        return @($exe, [Reflection.Assembly]::GetEntryAssembly().Location)
    }
    return @($exe)
}

function Invoke-BenchScript {
    # Runs one measurement script in a fresh pwsh (optionally behind a prefix such as
    # 'ip netns exec NAME', and with -Environment variables set for that pwsh alone) and returns the
    # object of the JSON line it prints last.
    param([string] $Name, [hashtable] $Parameters = @{}, [string[]] $Prefix = @(), [hashtable] $Environment = @{})
    $script = Join-Path $PSScriptRoot $Name
    $command = [Collections.Generic.List[string]]::new()
    foreach ($word in @($Prefix) + @(Get-PwshCommand) + @('-NoProfile', '-NonInteractive', '-File', $script)) { $command.Add($word) }
    foreach ($key in $Parameters.Keys) {
        $value = $Parameters[$key]
        if ($value -is [switch] -or $value -is [bool]) {
            if ($value) { $command.Add("-$key") }
            continue
        }
        $command.Add("-$key")
        $command.Add([string] $value)
    }
    $exe = $command[0]
    $arguments = @($command | Select-Object -Skip 1)
    # The child inherits this process's environment: set the variables around the call, then put back what was there.
    $saved = @{}
    foreach ($key in $Environment.Keys) {
        $saved[$key] = [Environment]::GetEnvironmentVariable($key)
        [Environment]::SetEnvironmentVariable($key, [string] $Environment[$key])
    }
    try {
        $output = @(& $exe @arguments 2>&1)
        $code = $LASTEXITCODE
    }
    finally {
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }
    $json = $output | Where-Object { $_ -is [string] -and $_.StartsWith('{') } | Select-Object -Last 1
    if ($code -ne 0 -or -not $json) {
        throw "$Name failed (exit code $code):`n$($output -join "`n")"
    }
    return $json | ConvertFrom-Json
}

Export-ModuleMember -Function Get-Median, Get-CpuTicks, Get-OwnTicks, Get-OtherCpuFraction, Get-CpuBusyFraction, Wait-QuietCpu, Get-PwshCommand, Invoke-BenchScript
