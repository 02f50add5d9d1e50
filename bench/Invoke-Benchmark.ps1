<#
.SYNOPSIS
    The SockTools benchmark (issue 6): SockTools against ss, netstat and psutil on the same live
    socket load, plus import time, memory, time to first object, Watch-SockState CPU and Test-SockPort.

.DESCRIPTION
    Normally run through `build.ps1 -Task Bench`, which builds the module and SockLoad first.
    For each size N, a fresh network namespace (when root) gets a SockLoad holding N loopback
    connections over -Processes processes; everything for that N is measured against that one load,
    then the load is killed and the namespace deleted. A namespace per size keeps other sockets on
    the machine out of the numbers and the previous size's TIME_WAIT sockets out of the next one.
    The report goes to the console and to bench/results/<yyyy-MM-dd>.md (-Quick: out/bench/).

.PARAMETER Sizes
    Connection counts (each is two TCP sockets). Default 1000, 10000, 30000 (issue 6's 60,000
    sockets) and 250000 (issue 16's 500,000 sockets).

.PARAMETER Repeat
    Timed runs per measurement; the report shows medians. Default 7.

.PARAMETER Quick
    A smoke run: sizes 1000 and 10000 and 3 runs unless given, a shorter watch and time budget for
    the Test-Connection loop; the report goes to out/bench/ instead of bench/results/.
#>
[CmdletBinding()]
param(
    # Strings, split on commas here: through 'pwsh -File' (how build.ps1 is usually started) a
    # "1000,30000" would otherwise bind as ONE number with a thousands separator.
    [string[]] $Sizes = @('1000', '10000', '30000', '250000'),
    [ValidateRange(1, 1000)] [int] $Repeat = 7,
    [switch] $Quick,
    # The built module: out/SockTools/<version> (a folder or its .psd1). Default: the newest one in out/.
    [string] $ModulePath,
    # SockLoad's executable. Default: bench/SockLoad/bin/Release/net10.0/SockLoad.
    [string] $SockLoadPath,
    # SockLoad processes per size. Default: 50, and one per 2,500 connections above that (100 at
    # 250,000), which keeps each process's file descriptors and ephemeral ports well inside the limits.
    [ValidateRange(1, 250)] [int] $Processes,
    [string] $OutFile,
    # Run in the current network namespace even when root (other sockets on the machine are then counted too).
    [switch] $NoNamespace,
    # UNIX sockets for the UNIX reader block (issue 16: 20,000, against ss -xp); 0 skips the block. Root only.
    [ValidateRange(0, 200000)] [int] $UnixSockets = 20000,
    # Network namespaces for the -AllNetworkNamespaces block (issue 16: 20), each holding 1,500 connections
    # (60,000 sockets in all); 0 skips the block. Root only.
    [ValidateRange(0, 100)] [int] $NamespaceCount = 20
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1'), (Join-Path $PSScriptRoot 'BenchSystem.psm1'), (Join-Path $PSScriptRoot 'BenchLoad.psm1'), (Join-Path $PSScriptRoot 'BenchReaders.psm1'), (Join-Path $PSScriptRoot 'BenchReport.psm1') -Force

$root = Split-Path $PSScriptRoot -Parent
if ($Quick) {
    if (-not $PSBoundParameters.ContainsKey('Sizes')) { $Sizes = @('1000', '10000') }
    if (-not $PSBoundParameters.ContainsKey('Repeat')) { $Repeat = 3 }
    if (-not $PSBoundParameters.ContainsKey('UnixSockets')) { $UnixSockets = 2000 }
    if (-not $PSBoundParameters.ContainsKey('NamespaceCount')) { $NamespaceCount = 3 }
}
$Sizes = @($Sizes | ForEach-Object { $_ -split ',' } | Where-Object { $_ } | ForEach-Object {
        if ($_.Trim() -notmatch '^\d+$' -or [int] $_ -lt 1) { throw "-Sizes takes connection counts such as 1000,10000,30000; '$_' is not one." }
        [int] $_
    } | Sort-Object -Unique)
if (-not $ModulePath) {
    $ModulePath = Get-ChildItem (Join-Path $root 'out/SockTools/*/SockTools.psd1') -ErrorAction SilentlyContinue | Sort-Object { [version] $_.Directory.Name } | Select-Object -Last 1 -ExpandProperty FullName
}
if ($ModulePath -and (Test-Path $ModulePath -PathType Container)) { $ModulePath = Join-Path $ModulePath 'SockTools.psd1' }
if (-not $ModulePath -or -not (Test-Path $ModulePath)) { throw 'No built module: run build.ps1 -Task Bench (or -Task Build first).' }
$ModulePath = (Resolve-Path $ModulePath).Path
if (-not $SockLoadPath) { $SockLoadPath = Join-Path $PSScriptRoot 'SockLoad/bin/Release/net10.0/SockLoad' }
if (-not (Test-Path $SockLoadPath)) { throw "SockLoad is not built: dotnet build $PSScriptRoot/SockLoad -c Release" }

$useNamespaces = -not $NoNamespace -and (Test-NamespaceSupport)
if ($useNamespaces) { Remove-StaleBenchNamespace }
$notes = [Collections.Generic.List[string]]::new()
foreach ($note in Install-BenchPrerequisite) { $notes.Add($note) }
if (-not $useNamespaces) {
    $notes.Add('Ran in the current network namespace (not root, or -NoNamespace): sockets of other programs are in the table too.')
}
function Get-LoadProcesses([int] $Connections) {
    if ($Processes) { return $Processes }
    [Math]::Max(50, [int] [Math]::Ceiling($Connections / 2500))
}
# Watch-SockState CPU is a target at 60,000 sockets: measured at 30,000 connections, else at the largest size.
$watchSize = if ($Sizes -contains 30000) { 30000 } else { $Sizes[-1] }
$run = [ordered]@{
    Machine  = Get-MachineInfo -Root $root -ModulePath $ModulePath
    Options  = [ordered]@{ Sizes = $Sizes; Repeat = $Repeat; WarmUp = 2; Processes = @($Sizes | ForEach-Object { Get-LoadProcesses $_ }); Quick = [bool] $Quick; Namespaces = $useNamespaces }
    Import   = $null
    PortTest = [ordered]@{ Closed = $null; Dropped = $null; DroppedAllAtOnce = $null; DroppedNote = $null }
    Sizes    = [Collections.Generic.List[object]]::new()
    Unix     = $null
    Namespaces = $null
    Notes    = $notes
}
$run.Machine['Load'] = "SockLoad: $(($Sizes | ForEach-Object { Get-LoadProcesses $_ } | Sort-Object -Unique) -join ' or ') processes (per size in the load table), each listening on 127.0.1.<i> and holding its share of the connections, 100 UDP sockets, 100 UNIX pairs and ~300 TIME_WAIT sockets in all"
$run.Machine['Isolation'] = if ($useNamespaces) { 'each size in its own network namespace' } else { 'current network namespace' }
$tag = "sockbench-$PID"

# Import-Module: independent of the load, so measured once with none. The first start-up, discarded,
# warms the page cache for the pwsh and module files.
Write-Host "Import-Module time ($Repeat fresh pwsh processes after one warm-up)"
$notes.Add((Wait-QuietCpu -Before 'the Import-Module timing'))
$null = Invoke-BenchScript 'Measure-Import.ps1' @{ ModulePath = $ModulePath }
$run.Import = [ordered]@{ Samples = @(1..$Repeat | ForEach-Object { (Invoke-BenchScript 'Measure-Import.ps1' @{ ModulePath = $ModulePath }).Milliseconds }) }

# Test-SockPort: refused connects on closed loopback ports, and (root) timeouts behind a SYN-dropping rule.
$portsNs = "$tag-ports"
$prefix = @()
try {
    if ($useNamespaces -and (Get-Command nft -CommandType Application -ErrorAction SilentlyContinue)) {
        New-BenchNamespace -Name $portsNs -DropSynPorts '12000-12099'
        $prefix = @('ip', 'netns', 'exec', $portsNs)
    }
    elseif ($useNamespaces) {
        New-BenchNamespace -Name $portsNs
        $prefix = @('ip', 'netns', 'exec', $portsNs)
        $run.PortTest.DroppedNote = 'not measured: nft (nftables) is missing'
    }
    else {
        $run.PortTest.DroppedNote = 'not measured: needs root (a network namespace with a SYN-dropping rule)'
    }
    Write-Host 'Test-SockPort / Test-Connection on 1,000 closed loopback ports'
    $notes.Add((Wait-QuietCpu -Before 'the port tests'))
    # 127.0.9.1 is a loopback address nothing listens on; ports below the ephemeral range rule out
    # a client ever connecting to itself.
    $run.PortTest.Closed = Invoke-BenchScript 'Measure-PortTest.ps1' -Prefix $prefix -Parameters @{
        ModulePath = $ModulePath; Address = '127.0.9.1'; FirstPort = 11000; Count = 1000; TimeoutSeconds = 1; Repeat = $Repeat
        TestConnection = $true; TestConnectionBudgetSeconds = $(if ($Quick) { 10 } else { 60 })
    }
    if (-not $run.PortTest.Closed.Available) {
        $run.PortTest.DroppedNote = 'not available (the module does not export Test-SockPort yet)'
    }
    elseif (-not $run.PortTest.DroppedNote) {
        Write-Host 'Test-SockPort on 100 targets that drop SYNs, 1 s timeout'
        $run.PortTest.Dropped = Invoke-BenchScript 'Measure-PortTest.ps1' -Prefix $prefix -Parameters @{
            ModulePath = $ModulePath; Address = '127.0.0.1'; FirstPort = 12000; Count = 100; TimeoutSeconds = 1; Repeat = 3
        }
        # Again with every target in flight at once: tells the engine's speed from its default concurrency.
        $run.PortTest.DroppedAllAtOnce = Invoke-BenchScript 'Measure-PortTest.ps1' -Prefix $prefix -Parameters @{
            ModulePath = $ModulePath; Address = '127.0.0.1'; FirstPort = 12000; Count = 100; TimeoutSeconds = 1; Repeat = 3; ThrottleLimit = 100
        }
    }
}
finally {
    if ($prefix) { Remove-BenchNamespace $portsNs }
}

# The sizes, each against its own live load.
$pwsh = @(Get-PwshCommand)
foreach ($size in $Sizes) {
    $resultPath = [IO.Path]::GetTempFileName()
    $ns = "$tag-$size"
    $arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Invoke-SizeRun.ps1'),
        '-ModulePath', $ModulePath, '-SockLoadPath', $SockLoadPath, '-Connections', $size, '-Processes', (Get-LoadProcesses $size),
        '-Repeat', $Repeat, '-ResultPath', $resultPath)
    if ($size -eq $Sizes[-1]) { $arguments += '-Largest' }
    if ($size -eq $watchSize) { $arguments += '-Watch' }
    if ($Quick) { $arguments += '-Quick' }
    try {
        if ($useNamespaces) {
            New-BenchNamespace -Name $ns
            & ip netns exec $ns @pwsh @arguments
        }
        else {
            & $pwsh[0] @($pwsh | Select-Object -Skip 1) @arguments
        }
        if ($LASTEXITCODE -ne 0) { throw "The run for N = $size failed (exit code $LASTEXITCODE)." }
        $run.Sizes.Add((Get-Content -Raw $resultPath | ConvertFrom-Json))
    }
    finally {
        if ($useNamespaces) { Remove-BenchNamespace $ns }
        Remove-Item $resultPath -ErrorAction SilentlyContinue
    }
    if (-not $useNamespaces -and $size -ne $Sizes[-1]) {
        # Same namespace for every size: let this load's TIME_WAIT sockets (60 s) expire first.
        Write-Host 'Waiting 65 s for TIME_WAIT sockets of this size to expire'
        Start-Sleep -Seconds 65
    }
}

# The readers issue 16 wants to keep the pace with, each against a load of its own (root: namespaces).
if ($useNamespaces -and $UnixSockets -gt 0) {
    Write-Host "UNIX sockets: $UnixSockets in a namespace of their own, Get-SockConnection -Protocol Unix against ss -xp"
    $run.Unix = Measure-UnixReader -ModulePath $ModulePath -SockLoadPath $SockLoadPath -Tag $tag -Sockets $UnixSockets -Repeat $Repeat
    $notes.Add($run.Unix.Note)
}
if ($useNamespaces -and $NamespaceCount -gt 0) {
    Write-Host "Network namespaces: $NamespaceCount, 1,500 connections each; -AllNetworkNamespaces against each one alone"
    $run.Namespaces = Measure-NamespaceReader -ModulePath $ModulePath -SockLoadPath $SockLoadPath -Tag $tag -Count $NamespaceCount -Connections 1500 -Repeat $Repeat
    $notes.Add($run.Namespaces.Note)
}
if (-not $useNamespaces) { $notes.Add('The UNIX and network-namespace blocks need root (network namespaces): not measured.') }

$run.Notes = @($notes | Where-Object { $_ })
$report = New-BenchReport ([pscustomobject] $run)
Write-Host ''
Write-Host $report
if (-not $OutFile) {
    $folder = if ($Quick) { Join-Path $root 'out/bench' } else { Join-Path $PSScriptRoot 'results' }
    New-Item -ItemType Directory -Path $folder -Force | Out-Null
    $date = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd')
    $OutFile = Join-Path $folder "$date$(if ($Quick) { '-quick' }).md"
    # A second full run on the same day keeps the first one: <date>-2.md, <date>-3.md, ...
    for ($i = 2; -not $Quick -and (Test-Path $OutFile); $i++) { $OutFile = Join-Path $folder "$date-$i.md" }
}
Set-Content -Path $OutFile -Value $report -Encoding utf8
Write-Host "Report: $OutFile"
