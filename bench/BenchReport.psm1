# Turns the measurements of one benchmark run into the markdown report (console and bench/results).

Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')

$script:Invariant = [Globalization.CultureInfo]::InvariantCulture

# Issue 6 sets its ratio targets for 60,000 sockets: 30,000 connections with both ends open.
$script:TargetConnections = 30000

function Format-Ms {
    param($Value)
    if ($null -eq $Value) { return 'n/a' }
    if ($Value -ge 100) { return $Value.ToString('N0', $script:Invariant) }
    if ($Value -ge 10) { return $Value.ToString('N1', $script:Invariant) }
    return $Value.ToString('N2', $script:Invariant)
}

function Format-Count { param($Value) if ($null -eq $Value) { 'n/a' } else { ([double] $Value).ToString('N0', $script:Invariant) } }

function Format-Ratio {
    # "0.21 PASS" / "0.52 FAIL" against an upper bound; plain ratio when there is no target.
    param($Ratio, $Max)
    if ($null -eq $Ratio) { return 'n/a' }
    $text = $Ratio.ToString($(if ($Ratio -ge 10) { 'N1' } else { 'N2' }), $script:Invariant)
    if ($null -eq $Max) { return $text }
    if ($Ratio -le $Max) { "$text PASS" } else { "$text **FAIL**" }
}

function Get-Ratio { param($A, $B) if ($null -eq $A -or $null -eq $B -or $B -eq 0) { $null } else { $A / $B } }

function ConvertTo-MarkdownTable {
    # First column left-aligned, the others right-aligned (numbers) unless -LeftAlign.
    param([string[]] $Header, [object[]] $Rows, [switch] $LeftAlign)
    $escape = { param($cell) ([string] $cell).Replace('|', '\|') }
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('| ' + (($Header | ForEach-Object { & $escape $_ }) -join ' | ') + ' |')
    $lines.Add('|' + ((0..($Header.Count - 1) | ForEach-Object { if ($_ -eq 0 -or $LeftAlign) { ':---' } else { '---:' } }) -join '|') + '|')
    foreach ($row in $Rows) { $lines.Add('| ' + (($row | ForEach-Object { & $escape $_ }) -join ' | ') + ' |') }
    $lines -join "`n"
}

function Get-SizeMedian {
    # Median of one in-process case or one external tool at one size; $null when not measured.
    param($Size, [string] $Kind, [string] $Name)
    $samples = if ($Kind -eq 'InProcess') { $Size.InProcess.Samples.$Name } else { $Size.External.$Name.Samples }
    if ($null -eq $samples) { return $null }
    Get-Median ([double[]] $samples)
}

function New-BenchReport {
    param($Run)
    $sizes = @($Run.Sizes)
    $largest = $sizes[-1]
    $port = $largest.Load.Port
    $sizeHeader = @($sizes | ForEach-Object { Format-Count $_.Connections })
    $out = [Collections.Generic.List[string]]::new()

    $out.Add("# SockTools benchmark, $($Run.Machine.Date)")
    $out.Add('')
    $out.Add('Produced by `build.ps1 -Task Bench` (bench/Invoke-Benchmark.ps1). Times are medians in ms of ' +
        "$($Run.Options.Repeat) runs; columns are the number of loopback TCP connections held by SockLoad " +
        "($($Run.Options.Processes) processes, both ends open: twice as many TCP sockets).")
    $out.Add('')
    $out.Add((ConvertTo-MarkdownTable -LeftAlign -Header 'machine', '' -Rows @($Run.Machine.GetEnumerator() | ForEach-Object { , @($_.Key, $_.Value) })))
    $out.Add('')

    $out.Add('## The load')
    $out.Add('')
    $states = @($sizes | ForEach-Object { $_.Census.TcpStates.PSObject.Properties.Name } | Sort-Object -Unique)
    $rows = @(
        , (@('TCP sockets (`ss -tanH`)') + @($sizes | ForEach-Object { Format-Count $_.Census.Tcp }))
        foreach ($state in $states) { , (@("... $state") + @($sizes | ForEach-Object { Format-Count $_.Census.TcpStates.$state })) }
        , (@('UDP sockets') + @($sizes | ForEach-Object { Format-Count $_.Census.Udp }))
        , (@('UNIX sockets') + @($sizes | ForEach-Object { Format-Count $_.Census.Unix }))
        , (@('SockLoad ready after (s)') + @($sizes | ForEach-Object { $_.Load.ReadySeconds.ToString('N1', $script:Invariant) }))
        , (@('CPU used by other processes during the timed rounds (share of all cores)') + @($sizes | ForEach-Object { if ($null -eq $_.OtherCpu) { 'n/a' } else { ([double] $_.OtherCpu).ToString('P1', $script:Invariant) } }))
    )
    $out.Add((ConvertTo-MarkdownTable -Header (@('') + $sizeHeader) -Rows $rows))
    $out.Add('')

    $out.Add('## Medians (ms)')
    $out.Add('')
    $out.Add("All rows are timed in the same rounds ($($Run.Options.WarmUp) warm-up rounds, then $($Run.Options.Repeat)), each round running every row once. " +
        "In-process rows: one pwsh, module imported once, a full GC before each run (except the 'again' row). Whole-process rows: fork + exec + run, output to /dev/null. " +
        "``PORT`` is $port (one SockLoad listener and its accepted connections).")
    $out.Add('')
    $cases = @(
        @('InProcess', 'All', '`$r = Get-SockConnection` (TCP+UDP, with owners)'),
        @('InProcess', 'TimeWait', '`$r = Get-SockConnection -Protocol Tcp -State TimeWait`'),
        @('InProcess', 'LocalPort', '`$r = Get-SockConnection -LocalPort PORT`'),
        @('InProcess', 'Listener', '`$r = Get-SockListener`'),
        @('InProcess', 'First', '`$r = Get-SockConnection | Select-Object -First 1`'),
        @('InProcess', 'Again', '`$r = Get-SockConnection` again, previous `$r` still held, no forced GC'),
        @('External', 'ss -tan', '`ss -tan`'),
        @('External', 'ss -tan state time-wait', '`ss -tan state time-wait`'),
        @('External', 'ss -tanp', '`ss -tanp`'),
        @('External', 'ss -tanp sport', "``ss -tanp 'sport = :PORT'``"),
        @('External', 'ss -tan sport', "``ss -tan 'sport = :PORT'`` (no owners)"),
        @('External', 'ss -tlnp', '`ss -tlnp`'),
        @('External', 'netstat -tanp', '`netstat -tanp`'),
        @('External', 'psutil', '`python3 -c ''import psutil; psutil.net_connections()''`')
    )
    $rows = foreach ($case in $cases) {
        , (@($case[2]) + @($sizes | ForEach-Object {
                    $median = Get-SizeMedian $_ $case[0] $case[1]
                    if ($null -eq $median -and $case[0] -eq 'External' -and $_.External.($case[1]).Error) { 'skipped' } else { Format-Ms $median }
                }))
    }
    $out.Add((ConvertTo-MarkdownTable -Header (@('command') + $sizeHeader) -Rows $rows))
    $out.Add('')
    $out.Add('Objects returned in the last round (a timing of an empty or partial answer would prove nothing). ' +
        'SockLoad renews its TIME_WAIT sockets every 59 s and they last 60 s, so for a few seconds a minute there are twice as many:')
    $out.Add('')
    $rows = foreach ($case in $cases | Where-Object { $_[0] -eq 'InProcess' -and $_[1] -notin 'First', 'Again' }) {
        , (@($case[2]) + @($sizes | ForEach-Object { Format-Count $_.InProcess.Counts.($case[1]) }))
    }
    $out.Add((ConvertTo-MarkdownTable -Header (@('command') + $sizeHeader) -Rows $rows))
    $out.Add('')

    $out.Add('## Ratios against the targets of issue 6')
    $out.Add('')
    $out.Add("The targets are set for 60,000 sockets (30,000 connections), so PASS/FAIL is given only there; smaller sizes show the trend. " +
        "Ours is in-process and warm, the others are whole processes, as the issue defines them.")
    $out.Add('')
    $ratios = @(
        @('`Get-SockConnection` / `ss -tanp`', 0.35, 'InProcess', 'All', 'External', 'ss -tanp'),
        @('`Get-SockConnection -LocalPort PORT` / `ss -tanp ''sport = :PORT''`', 0.15, 'InProcess', 'LocalPort', 'External', 'ss -tanp sport'),
        @('`Get-SockConnection -Protocol Tcp -State TimeWait` / `ss -tan`', 1.0, 'InProcess', 'TimeWait', 'External', 'ss -tan'),
        @('first object when piping / full `Get-SockConnection`', 0.5, 'InProcess', 'First', 'InProcess', 'All'),
        @('`Get-SockListener` / `ss -tlnp`', $null, 'InProcess', 'Listener', 'External', 'ss -tlnp'),
        @('`Get-SockConnection` / `netstat -tanp`', $null, 'InProcess', 'All', 'External', 'netstat -tanp'),
        @('`Get-SockConnection` / psutil `net_connections()`', $null, 'InProcess', 'All', 'External', 'psutil')
    )
    $rows = foreach ($r in $ratios) {
        $target = if ($null -eq $r[1]) { '(for information)' } else { '<= ' + $r[1].ToString('0.00', $script:Invariant) }
        , (@($r[0], $target) + @($sizes | ForEach-Object {
                    $max = if ($_.Connections -ge $script:TargetConnections) { $r[1] } else { $null }
                    Format-Ratio (Get-Ratio (Get-SizeMedian $_ $r[2] $r[3]) (Get-SizeMedian $_ $r[4] $r[5])) $max
                }))
    }
    $out.Add((ConvertTo-MarkdownTable -Header (@('ratio', 'target') + $sizeHeader) -Rows $rows))
    $out.Add('')

    $out.Add('## Once per run')
    $out.Add('')
    $out.Add((ConvertTo-MarkdownTable -LeftAlign -Header 'measurement', 'result', 'target' -Rows (Get-OnceRow $Run)))
    $out.Add('')

    $notes = @($Run.Notes) + @($sizes | ForEach-Object { $_.Notes | ForEach-Object { $_ } })
    $out.Add('## Notes')
    $out.Add('')
    $notes = @($notes | Where-Object { $_ })
    if ($notes.Count -eq 0) { $out.Add('- No other process kept the CPU busy before any block, nor used more than 5 % of the machine during the timed rounds.') }
    foreach ($note in $notes) { $out.Add("- $note") }
    $out.Add('')

    $out.Add("## What the reader says it did (-Verbose, one run each, at $(Format-Count $largest.Connections))")
    $out.Add('')
    foreach ($case in $cases | Where-Object { $_[0] -eq 'InProcess' -and $_[1] -notin 'First', 'Again' }) {
        $out.Add("- $($case[2]): " + (@($largest.InProcess.Verbose.($case[1])) -join ' / '))
    }
    $out.Add('')

    $out.Add('<details><summary>Every sample (ms), sorted</summary>')
    $out.Add('')
    foreach ($size in $sizes) {
        $out.Add("N = $(Format-Count $size.Connections):")
        $out.Add('')
        foreach ($case in $cases) {
            $samples = if ($case[0] -eq 'InProcess') { $size.InProcess.Samples.($case[1]) } else { $size.External.($case[1]).Samples }
            if ($samples) { $out.Add("- $($case[2]): " + ((@($samples | Sort-Object) | ForEach-Object { Format-Ms $_ }) -join ', ')) }
        }
        $out.Add('')
    }
    if ($Run.Import.Samples) { $out.Add('Import-Module: ' + ((@($Run.Import.Samples | Sort-Object) | ForEach-Object { Format-Ms $_ }) -join ', ')) }
    $out.Add('')
    $out.Add('</details>')
    $out -join "`n"
}

function Get-OnceRow {
    # The measurements made once per run: module import, memory and watch at the largest N, port tests.
    param($Run)
    $largest = @($Run.Sizes)[-1]
    $n = Format-Count $largest.Connections
    $rows = [Collections.Generic.List[object]]::new()

    $import = Get-Median ([double[]] $Run.Import.Samples)
    $rows.Add(@("Import-Module in a fresh pwsh (median of $(@($Run.Import.Samples).Count))", "$(Format-Ms $import) ms", ('<= 150 ms: ' + $(if ($import -le 150) { 'PASS' } else { '**FAIL**' }))))

    $first = Get-SizeMedian $largest 'InProcess' 'First'
    $all = Get-SizeMedian $largest 'InProcess' 'All'
    $ratio = Get-Ratio $first $all
    $rows.Add(@("First object when piping at $n (``Get-SockConnection | Select-Object -First 1`` vs the full read)", "$(Format-Ms $first) ms vs $(Format-Ms $all) ms", ('before the whole table is built (read here as: in <= 0.5x the full read): ' + $(if ($null -ne $ratio -and $ratio -le 0.5) { 'PASS' } else { '**FAIL**' }))))

    if ($largest.Memory) {
        $m = $largest.Memory
        $export = Get-Median ([double[]] $m.ExportKB)
        $base = Get-Median ([double[]] $m.BaselineKB)
        $rows.Add(@("Peak memory (VmHWM) of ``Get-SockConnection | Export-Csv`` at $n ($(Format-Count $m.Rows) rows, $(Format-Ms (Get-Median ([double[]] $m.ExportMs))) ms)",
                ('{0:N0} MB; a pwsh that only imports the module: {1:N0} MB; difference {2:N0} MB' -f ($export / 1KB), ($base / 1KB), (($export - $base) / 1KB)), '(for information)'))
    }

    if ($largest.Watch) {
        $w = $largest.Watch
        $steady = ($w.Watch.CpuMilliseconds - $w.First.CpuMilliseconds) / ($w.Polls - 1)
        $perPoll = $w.Watch.CpuMilliseconds / $w.Polls
        $rows.Add(@("Watch-SockState CPU at $n, -IntervalSeconds $($w.IntervalSeconds), $($w.Polls) polls",
                ('{0} ms CPU per poll on average ({1:P1} of one core); first snapshot {2} ms, each later poll {3} ms' -f (Format-Ms $perPoll), ($perPoll / ($w.IntervalSeconds * 1000)), (Format-Ms $w.First.CpuMilliseconds), (Format-Ms $steady)), '(for information)'))
    }

    $closed = $Run.PortTest.Closed
    $loop = if ($closed -and $closed.TestConnection) { $closed.TestConnection } else { $null }
    $sockPortClosed = if ($closed -and $closed.Available -and -not $closed.Error) { Get-Median ([double[]] $closed.Samples) } else { $null }
    # Careful: in an array literal ',' binds tighter than '+', so concatenated cells are parenthesized.
    $status = { param($r) if ($r.Statuses -and @($r.Statuses.PSObject.Properties).Count -gt 0) { ' (' + (($r.Statuses.PSObject.Properties | ForEach-Object { "$($_.Value) $($_.Name)" }) -join ', ') + ')' } else { '' } }
    $rows.Add(@('Test-SockPort, 1,000 closed loopback ports, 1 s timeout',
            $(if (-not $closed -or -not $closed.Available) { 'not available (the module does not export Test-SockPort yet)' } elseif ($closed.Error) { "error: $($closed.Error)" } else { "$(Format-Ms $sockPortClosed) ms" + (& $status $closed) }),
            ('>= 20x faster than the Test-Connection loop: ' + $(if ($null -eq $sockPortClosed -or -not $loop) { 'n/a' } else { $speedup = $loop.Extrapolated / $sockPortClosed; $speedup.ToString('N1', $script:Invariant) + 'x ' + $(if ($speedup -ge 20) { 'PASS' } else { '**FAIL**' }) }))))
    if ($loop) {
        $how = if ($loop.Ports -lt 1000) { "$(Format-Ms $loop.Milliseconds) ms for the first $($loop.Ports) ports (time budget), extrapolated to 1,000" } else { 'all 1,000 ports timed' }
        $rows.Add(@('`Test-Connection -TcpPort` loop over the same 1,000 ports', "$(Format-Ms $loop.Extrapolated) ms ($how; $($loop.Open) open)", '(the baseline)'))
    }
    $dropped = $Run.PortTest.Dropped
    $rows.Add(@('Test-SockPort, 100 targets whose SYNs are dropped (network namespace), 1 s timeout, default -ThrottleLimit',
            $(if ($Run.PortTest.DroppedNote) { $Run.PortTest.DroppedNote } elseif ($dropped.Error) { "error: $($dropped.Error)" } else { "$(Format-Ms (Get-Median ([double[]] $dropped.Samples))) ms" + (& $status $dropped) }),
            ('about one timeout (<= 1,500 ms): ' + $(if ($dropped -and $dropped.Available -and -not $dropped.Error) { if ((Get-Median ([double[]] $dropped.Samples)) -le 1500) { 'PASS' } else { '**FAIL**' } } else { 'n/a' }))))
    $allAtOnce = $Run.PortTest.DroppedAllAtOnce
    if ($allAtOnce -and $allAtOnce.Available -and -not $allAtOnce.Error) {
        $rows.Add(@('... the same with `-ThrottleLimit 100` (all targets in flight at once)', ("$(Format-Ms (Get-Median ([double[]] $allAtOnce.Samples))) ms" + (& $status $allAtOnce)), '(for information: the default -ThrottleLimit is what users get)'))
    }
    return $rows.ToArray()
}

Export-ModuleMember -Function New-BenchReport, ConvertTo-MarkdownTable, Format-Ms, Format-Ratio
