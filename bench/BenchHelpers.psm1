# Measuring primitives of the benchmark: statistics, whole-process timing, waiting for an idle
# machine, and running a measurement script in a fresh pwsh. No reporting here (BenchReport.psm1).

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

function Measure-ProcessRun {
    # Whole-process wall-clock times in ms of a command run -Repeat times after -WarmUp discarded runs
    # (the first run pays for cold page cache and dentries, which a person running it twice would not).
    # Returns $null samples and the reason when the command fails.
    param([string[]] $Command, [int] $Repeat, [int] $WarmUp = 1)
    $timer = Join-Path $PSScriptRoot 'time-runs.sh'
    $lines = @(& bash $timer ($Repeat + $WarmUp) @Command)
    $failed = @($lines | Where-Object { $_ -like 'fail*' })
    if ($failed.Count -gt 0) {
        return [pscustomobject]@{ Samples = $null; Error = "'$($Command -join ' ')' failed ($($failed[0]))" }
    }
    $samples = [double[]] @($lines | Select-Object -Skip $WarmUp | ForEach-Object { [double] $_ / 1000 })
    [pscustomobject]@{ Samples = $samples; Error = $null }
}

function Get-CpuBusyFraction {
    # Share of all cores busy over a short window, from /proc/stat (user+nice+system+irq+softirq+steal).
    param([int] $WindowMilliseconds = 500)
    $read = {
        $f = ((Get-Content /proc/stat -TotalCount 1) -split '\s+' | Select-Object -Skip 1) | ForEach-Object { [long] $_ }
        $idle = $f[3] + $f[4]
        [pscustomobject]@{ Idle = $idle; Total = ($f | Measure-Object -Sum).Sum }
    }
    $a = & $read
    Start-Sleep -Milliseconds $WindowMilliseconds
    $b = & $read
    $total = $b.Total - $a.Total
    if ($total -le 0) { return 0.0 }
    return 1.0 - (($b.Idle - $a.Idle) / $total)
}

function Wait-QuietCpu {
    # The machine has 2 cores: a build or test run by someone else would stretch every number.
    # Waits until the machine is (nearly) idle; returns a note when it never got quiet, else $null.
    param([string] $Before, [double] $Threshold = 0.10, [int] $TimeoutSeconds = 60)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $busy = 0.0
    while ([DateTime]::UtcNow -lt $deadline) {
        $busy = Get-CpuBusyFraction
        if ($busy -le $Threshold) { return $null }
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
    # 'ip netns exec NAME') and returns the object of the JSON line it prints last.
    param([string] $Name, [hashtable] $Parameters = @{}, [string[]] $Prefix = @())
    $script = Join-Path $PSScriptRoot $Name
    $pwsh = @(Get-PwshCommand)
    $arguments = [Collections.Generic.List[string]]::new()
    foreach ($word in @($Prefix | Select-Object -Skip 1) + $pwsh + @('-NoProfile', '-NonInteractive', '-File', $script)) { $arguments.Add($word) }
    foreach ($key in $Parameters.Keys) {
        $value = $Parameters[$key]
        if ($value -is [switch] -or $value -is [bool]) {
            if ($value) { $arguments.Add("-$key") }
            continue
        }
        $arguments.Add("-$key")
        $arguments.Add([string] $value)
    }
    $exe = if ($Prefix.Count -gt 0) { $Prefix[0] } else { $arguments[0]; $arguments.RemoveAt(0) }
    $output = @(& $exe @arguments 2>&1)
    $code = $LASTEXITCODE
    $json = $output | Where-Object { $_ -is [string] -and $_.StartsWith('{') } | Select-Object -Last 1
    if ($code -ne 0 -or -not $json) {
        throw "$Name failed (exit code $code):`n$($output -join "`n")"
    }
    return $json | ConvertFrom-Json
}

Export-ModuleMember -Function Get-Median, Measure-ProcessRun, Get-CpuBusyFraction, Wait-QuietCpu, Get-PwshCommand, Invoke-BenchScript
