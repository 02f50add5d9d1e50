<#
  One size of the benchmark: starts SockLoad with N connections, measures everything that belongs to
  that load (in-process readers, ss/netstat/psutil, with -Largest memory, with -Watch Watch-SockState CPU),
  stops the load whatever happens, and writes the measurements as JSON to -ResultPath.
  Invoke-Benchmark.ps1 runs it inside a fresh network namespace, so the table holds only this load.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SockLoadPath,
    [Parameter(Mandatory)] [int] $Connections,
    [Parameter(Mandatory)] [string] $ResultPath,
    [int] $Processes = 50,
    [int] $Repeat = 7,
    [int] $WarmUp = 2,
    [switch] $Largest,
    [switch] $Watch,
    [switch] $Quick,
    # From this many connections on, the owner-reading tools (ss -tanp, netstat -tanp, psutil) run once
    # after the rounds instead of in every round: at 500,000 sockets one ss -tanp run takes minutes.
    [int] $OnceFrom = 100000
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1'), (Join-Path $PSScriptRoot 'BenchLoad.psm1'), (Join-Path $PSScriptRoot 'BenchSystem.psm1')

$label = $Connections.ToString('N0', [Globalization.CultureInfo]::InvariantCulture)
$notes = [Collections.Generic.List[string]]::new()
function Add-Note([string] $Note) { if ($Note) { $notes.Add("N = ${label}: $Note") } }

$result = [ordered]@{ Connections = $Connections; Processes = $Processes; Load = $null; Census = $null; CensusAfter = $null; InProcess = $null; OtherCpu = $null; External = [ordered]@{}; Memory = $null; Watch = $null; FreshMemory = $null; Variants = [ordered]@{}; Notes = $notes }
$load = $null
try {
    Write-Host "[$label] starting SockLoad: $label connections over $Processes processes"
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $load = Start-SockLoad -Path $SockLoadPath -Connections $Connections -Processes $Processes
    $result.Load = [ordered]@{ Port = $load.Port; TcpSockets = $load.TcpSockets; ReadySeconds = $clock.Elapsed.TotalSeconds }
    Write-Host ("[$label] ready after {0:N1} s; listener port {1}" -f $clock.Elapsed.TotalSeconds, $load.Port)

    # Fifty runtimes just started: let their background JIT and GC threads settle before timing anything.
    Add-Note (Wait-QuietCpu -Before 'the first measurement' -TimeoutSeconds 30)
    $result.Census = Get-SocketCensus
    if ($result.Census.Tcp -lt 0.95 * $load.TcpSockets) {
        Add-Note "ss counts $($result.Census.Tcp) TCP sockets where SockLoad should hold about $($load.TcpSockets)."
    }

    $python = Get-PythonPath
    $tools = [ordered]@{
        'ss -tan'                 = @('ss', '-tan')
        'ss -tan state time-wait' = @('ss', '-tan', 'state', 'time-wait')
        'ss -tanp'                = @('ss', '-tanp')
        'ss -tanp sport'          = @('ss', '-tanp', "sport = :$($load.Port)")
        'ss -tan sport'           = @('ss', '-tan', "sport = :$($load.Port)")
        'ss -tlnp'                = @('ss', '-tlnp')
        'netstat -tanp'           = @('netstat', '-tanp')
        'psutil'                  = @($python, '-c', 'import psutil; psutil.net_connections()')
    }
    $present = [ordered]@{}
    foreach ($name in $tools.Keys) {
        $found = if ($name -eq 'psutil') { Test-Psutil } else { [bool] (Get-Command $tools[$name][0] -CommandType Application -ErrorAction SilentlyContinue) }
        if ($found) { $present[$name] = $tools[$name] } else { $result.External[$name] = [ordered]@{ Samples = $null; Error = 'not installed' } }
    }

    $once = [ordered]@{}
    if ($Connections -ge $OnceFrom) {
        foreach ($name in @($present.Keys | Where-Object { $_ -in 'ss -tanp', 'ss -tanp sport', 'netstat -tanp', 'psutil' })) {
            $once[$name] = $present[$name]
            $present.Remove($name)
        }
        if ($once.Count) { Add-Note "$($once.Keys -join ', ') ran once each, after the rounds (too slow at this size to repeat)." }
    }

    Write-Host "[$label] timed rounds: every in-process case and $($present.Count) commands per round, $WarmUp warm-up rounds + $Repeat$(if ($once.Count) { "; then $($once.Keys -join ', ') once" })"
    Add-Note (Wait-QuietCpu -Before 'the timed rounds')
    $rounds = Invoke-BenchScript 'Measure-Rounds.ps1' @{
        ModulePath = $ModulePath; Port = $load.Port; Repeat = $Repeat; WarmUp = $WarmUp
        ExternalJson = ($present | ConvertTo-Json -Compress); OnceJson = ($once | ConvertTo-Json -Compress)
    }
    $result.InProcess = $rounds.InProcess
    $result.OtherCpu = $rounds.OtherCpu
    $result.FreshMemory = $rounds.FreshMemory
    if ($rounds.OtherCpu -gt 0.05) {
        Add-Note ('other processes used {0:P0} of the machine during the timed rounds: every row of this size is slower than on an idle machine.' -f $rounds.OtherCpu)
    }
    foreach ($p in $rounds.External.PSObject.Properties) {
        $result.External[$p.Name] = $p.Value
        if ($p.Value.Error) { Add-Note $p.Value.Error }
    }

    # The TCP read and the floor once more in a pwsh started with another garbage-collector setting, to show how
    # much of the growth is the collector's. pwsh runs with background GC, and then the workstation GC keeps its
    # gen0 budget at 6 MB: a read that keeps every object it makes is collected every few MB, each object copied
    # from gen0 through gen1 into gen2, into memory the host must fault in.
    #   NoConcurrentGc: without background GC (System.GC.Concurrent, a documented setting a user may choose);
    #     the budget then grows with what survives.
    #   NoCollection: a gen0 budget of 256 MB (GCgen0size, a runtime knob used here for diagnosis only):
    #     no collection runs during a read of 500,000 sockets, so the row is the read's own work.
    $variants = [ordered]@{
        NoConcurrentGc = @{ DOTNET_gcConcurrent = '0' }
        NoCollection   = @{ DOTNET_GCgen0size = '0x10000000' }
    }
    foreach ($name in $variants.Keys) {
        $setting = ($variants[$name].GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ' '
        Write-Host "[$label] the TCP read and the floor again, in a pwsh with $setting"
        Add-Note (Wait-QuietCpu -Before "the rounds with $setting")
        # Rows for information only: a failure is a note, and the rest of the size goes on.
        try {
            $variant = Invoke-BenchScript 'Measure-Rounds.ps1' @{ ModulePath = $ModulePath; Port = $load.Port; Repeat = $Repeat; WarmUp = $WarmUp; Only = 'Tcp,Floor' } -Environment $variants[$name]
            $result.Variants[$name] = [ordered]@{ Setting = $setting; InProcess = $variant.InProcess; OtherCpu = $variant.OtherCpu }
        }
        catch {
            Add-Note "the rounds with $setting failed, their rows say n/a: $_"
        }
    }

    if ($Largest) {
        $runs = if ($Quick) { 1 } else { 3 }
        Write-Host "[$label] peak memory of Get-SockConnection | Export-Csv and of Get-SockConnection -Protocol Tcp | Measure-Object ($runs fresh pwsh each, and as many that only import)"
        Add-Note (Wait-QuietCpu -Before 'the memory measurement')
        $baseline = @(1..$runs | ForEach-Object { Invoke-BenchScript 'Measure-Memory.ps1' @{ ModulePath = $ModulePath } })
        $export = @(1..$runs | ForEach-Object { Invoke-BenchScript 'Measure-Memory.ps1' @{ ModulePath = $ModulePath; Export = $true } })
        $count = @(1..$runs | ForEach-Object { Invoke-BenchScript 'Measure-Memory.ps1' @{ ModulePath = $ModulePath; Count = $true } })
        $result.Memory = [ordered]@{
            BaselineKB = @($baseline.PeakKB)
            ExportKB   = @($export.PeakKB)
            ExportMs   = @($export.Milliseconds)
            Rows       = $export[-1].Rows
            CountKB    = @($count.PeakKB)
            CountMs    = @($count.Milliseconds)
            CountRows  = $count[-1].Rows
        }
    }

    if ($Watch) {
        $intervals = if ($Quick) { 4 } else { 10 }
        Write-Host "[$label] Watch-SockState CPU over $intervals intervals of 1 s"
        Add-Note (Wait-QuietCpu -Before 'the Watch-SockState measurement')
        $result.Watch = Invoke-BenchScript 'Measure-Watch.ps1' @{ ModulePath = $ModulePath; IntervalSeconds = 1; Intervals = $intervals }
    }
    $result.CensusAfter = Get-SocketCensus
}
finally {
    Stop-SockLoad $load
    Write-Host "[$label] SockLoad stopped"
}

$result | ConvertTo-Json -Depth 8 | Set-Content -Path $ResultPath -Encoding utf8
