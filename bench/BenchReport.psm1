# Turns the measurements of one benchmark run into the markdown report (console and bench/results).

Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchHelpers.psm1')

$script:Invariant = [Globalization.CultureInfo]::InvariantCulture

# Issue 6 sets its ratio targets for 60,000 sockets: 30,000 connections with both ends open.
$script:TargetConnections = 30000
# Issue 16 adds 500,000 sockets: 250,000 connections.
$script:LargeConnections = 250000

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

function Get-SizeSamples {
    # The samples of one row at one size: an in-process case ('InProcess'), an external tool ('External'), or an
    # in-process case under another GC setting (the variant's name); $null when not measured.
    param($Size, [string] $Kind, [string] $Name)
    if ($Kind -eq 'InProcess') { return $Size.InProcess.Samples.$Name }
    if ($Kind -eq 'External') { return $Size.External.$Name.Samples }
    $rounds = Get-VariantRounds $Size $Kind
    if ($rounds) { $rounds.Samples.$Name } else { $null }
}

function Get-SizeMedian {
    # Median of one row at one size (see Get-SizeSamples); $null when not measured.
    param($Size, [string] $Kind, [string] $Name)
    $samples = Get-SizeSamples $Size $Kind $Name
    if ($null -eq $samples) { return $null }
    Get-Median ([double[]] $samples)
}

function Get-VariantRounds {
    # The in-process rounds of one size run again in a pwsh with another GC setting (Invoke-SizeRun.ps1), or $null.
    param($Size, [string] $Name)
    if ($Size.PSObject.Properties['Variants'] -and $Size.Variants -and $Size.Variants.PSObject.Properties[$Name]) { $Size.Variants.$Name.InProcess } else { $null }
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
        "(both ends open: twice as many TCP sockets; SockLoad processes per size in the load table).")
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
        , (@('SockLoad processes') + @($sizes | ForEach-Object { if ($_.PSObject.Properties['Processes']) { Format-Count $_.Processes } else { 'n/a' } }))
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
        @('InProcess', 'Tcp', '`$r = Get-SockConnection -Protocol Tcp` (with owners)'),
        @('InProcess', 'TimeWait', '`$r = Get-SockConnection -Protocol Tcp -State TimeWait`'),
        @('InProcess', 'LocalPort', '`$r = Get-SockConnection -LocalPort PORT`'),
        @('InProcess', 'Listener', '`$r = Get-SockListener`'),
        @('InProcess', 'First', '`$r = Get-SockConnection | Select-Object -First 1`'),
        @('InProcess', 'Again', '`$r = Get-SockConnection` again, previous `$r` still held, no forced GC'),
        @('InProcess', 'Summary', '`$r = Get-SockSummary` (counts per state, no owners)'),
        @('InProcess', 'PortUsage', '`$r = Get-SockPortUsage` (ports held per destination)'),
        @('InProcess', 'ReaderOnly', 'The reader alone: the same TCP read through the internal API, entries counted and dropped (no pwsh pipeline, nothing kept)'),
        @('InProcess', 'Floor', '`$r = Write-EntrySizedObject N` (pwsh alone: N new 96-byte objects from a cmdlet that does nothing else, N = the TCP read''s count)'),
        @('NoConcurrentGc', 'Tcp', '`$r = Get-SockConnection -Protocol Tcp` in a pwsh without background GC (`DOTNET_gcConcurrent=0`)'),
        @('NoConcurrentGc', 'Floor', '`$r = Write-EntrySizedObject N` in a pwsh without background GC (`DOTNET_gcConcurrent=0`)'),
        @('NoCollection', 'Tcp', '`$r = Get-SockConnection -Protocol Tcp` in a pwsh with a 256 MB gen0 budget (`DOTNET_GCgen0size=0x10000000`)'),
        @('NoCollection', 'Floor', '`$r = Write-EntrySizedObject N` in a pwsh with a 256 MB gen0 budget (`DOTNET_GCgen0size=0x10000000`)'),
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
                    $tool = if ($case[0] -eq 'External' -and $_.External.PSObject.Properties[$case[1]]) { $_.External.($case[1]) } else { $null }
                    $once = $tool -and $tool.PSObject.Properties['Once'] -and $tool.Once
                    if ($null -eq $median -and $tool -and $tool.Error) { if ($once) { 'skipped (' + $tool.Error + ')' } else { 'skipped' } }
                    elseif ($once) { (Format-Ms $median) + ' (once)' }
                    else { Format-Ms $median }
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

    $out.Add('## Targets of issue 16 (scale)')
    $out.Add('')
    $out.Add("At 60,000 sockets (30,000 connections) and 500,000 sockets (250,000 connections). Ours in-process and warm, ``ss`` as a whole process; CPU rows count every thread, GC included.")
    $out.Add('')
    $out.Add((ConvertTo-MarkdownTable -LeftAlign -Header 'target', 'result', 'verdict' -Rows (Get-ScaleRow $Run)))
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
        if (-not $largest.InProcess.Verbose.PSObject.Properties[$case[1]]) { continue }
        $out.Add("- $($case[2]): " + (@($largest.InProcess.Verbose.($case[1])) -join ' / '))
    }
    $out.Add('')

    $out.Add('<details><summary>Every sample (ms), sorted</summary>')
    $out.Add('')
    foreach ($size in $sizes) {
        $out.Add("N = $(Format-Count $size.Connections):")
        $out.Add('')
        foreach ($case in $cases) {
            $samples = Get-SizeSamples $size $case[0] $case[1]
            if ($samples) { $out.Add("- $($case[2]): " + ((@($samples | Sort-Object) | ForEach-Object { Format-Ms $_ }) -join ', ')) }
        }
        $out.Add('')
    }
    foreach ($block in @(@('Unix', 'UNIX block'), @('Namespaces', 'Network namespace block'))) {
        $value = if ($Run.PSObject.Properties[$block[0]]) { $Run.($block[0]) } else { $null }
        if (-not $value) { continue }
        $out.Add("$($block[1]):")
        $out.Add('')
        foreach ($p in $value.Rounds.InProcess.Samples.PSObject.Properties) { $out.Add("- ``$($p.Name)``: " + ((@($p.Value | Sort-Object) | ForEach-Object { Format-Ms $_ }) -join ', ')) }
        foreach ($p in $value.Rounds.External.PSObject.Properties) { if ($p.Value.Samples) { $out.Add("- ``$($p.Name)``: " + ((@($p.Value.Samples | Sort-Object) | ForEach-Object { Format-Ms $_ }) -join ', ')) } }
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

    $closed = $Run.PortTest.Closed
    $loop = if ($closed -and $closed.TestConnection) { $closed.TestConnection } else { $null }
    $sockPortClosed = if ($closed -and $closed.Available -and -not $closed.Error) { Get-Median ([double[]] $closed.Samples) } else { $null }
    # Careful: in an array literal ',' binds tighter than '+', so concatenated cells are parenthesized.
    $status = { param($r) if ($r.Statuses -and @($r.Statuses.PSObject.Properties).Count -gt 0) { ' (' + (($r.Statuses.PSObject.Properties | ForEach-Object { "$($_.Value) $($_.Name)" }) -join ', ') + ')' } else { '' } }
    $rows.Add(@('Test-SockPort, 1,000 closed loopback ports, 1 s timeout',
            $(if (-not $closed -or -not $closed.Available) { 'not available (the module does not export Test-SockPort yet)' } elseif ($closed.Error) { "error: $($closed.Error)" } else { "$(Format-Ms $sockPortClosed) ms" + (& $status $closed) }),
            ('>= 20x faster than the Test-Connection loop: ' + $(if ($null -eq $sockPortClosed -or -not $loop) { 'n/a' } else { $speedup = $loop.Extrapolated / $sockPortClosed; $speedup.ToString('N1', $script:Invariant) + 'x ' + $(if ($speedup -ge 20) { 'PASS' } else { '**FAIL**' }) }))))
    if ($loop) {
        $passes = @($loop.Passes).Count
        $how = if ($loop.Ports -lt 1000) { "$(Format-Ms $loop.Milliseconds) ms for the first $($loop.Ports) ports (time budget), extrapolated to 1,000" }
            elseif ($passes -gt 1) { "all 1,000 ports timed, median of $passes passes: " + ((@($loop.Passes) | Sort-Object | ForEach-Object { Format-Ms $_ }) -join ', ') + ' ms' }
            else { 'all 1,000 ports timed' }
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

function Find-Size {
    # The measurements at exactly this many connections, or $null when the run had no such size.
    param($Run, [int] $Connections)
    @($Run.Sizes) | Where-Object { $_.Connections -eq $Connections } | Select-Object -First 1
}

function Get-Verdict {
    # "PASS"/"**FAIL**" for a value against an upper bound; 'n/a' when not measured.
    param($Value, $Max)
    if ($null -eq $Value) { 'n/a (not measured in this run)' } elseif ($Value -le $Max) { 'PASS' } else { '**FAIL**' }
}

function Get-ScaleRow {
    # Issue 16's targets: growth from 60,000 to 500,000 sockets, memory while streaming, owners for every
    # established socket, owners almost for free next to `ss -tan`, and a watch cheaper than `watch ss`.
    param($Run)
    $small = Find-Size $Run $script:TargetConnections
    $large = Find-Size $Run $script:LargeConnections
    $rows = [Collections.Generic.List[object]]::new()
    $ms = { param($v) if ($null -eq $v) { 'n/a' } else { (Format-Ms $v) + ' ms' } }

    $tcpSmall = if ($small) { Get-SizeMedian $small 'InProcess' 'Tcp' } else { $null }
    $tcpLarge = if ($large) { Get-SizeMedian $large 'InProcess' 'Tcp' } else { $null }
    $growth = Get-Ratio $tcpLarge $tcpSmall
    # Page faults per timed run (newer results): each is a heap page used for the first time. $part picks the
    # rounds: 'InProcess' (pwsh as it comes) or a variant's name (the same rows under another GC setting).
    $roundsOf = { param($size, $part)
        if (-not $size) { $null } elseif ($part -eq 'InProcess') { $size.InProcess } else { Get-VariantRounds $size $part } }
    $faultsOf = { param($size, $name, $part = 'InProcess')
        $in = & $roundsOf $size $part
        if ($in -and $in.PSObject.Properties['Faults'] -and $in.Faults.PSObject.Properties[$name]) { Get-Median ([double[]] $in.Faults.$name) } else { $null } }
    # Garbage collections per timed run, per generation (newer results): "gen0/gen1/gen2", medians.
    $collectionsOf = { param($size, $name, $part)
        $in = & $roundsOf $size $part
        if (-not ($in -and $in.PSObject.Properties['Collections'] -and $in.Collections.PSObject.Properties[$name])) { return $null }
        $runs = @($in.Collections.$name)
        (0..2 | ForEach-Object { $g = $_; Format-Count (Get-Median ([double[]] @($runs | ForEach-Object { $_[$g] }))) }) -join '/' }
    $faultText = { param($name, $part = 'InProcess')
        $a = & $faultsOf $large $name $part; $b = & $faultsOf $small $name $part
        $text = if ($null -eq $a -or $null -eq $b) { '' } else { "page faults per run: $(Format-Count $a) vs $(Format-Count $b)" }
        $ca = & $collectionsOf $large $name $part; $cb = & $collectionsOf $small $name $part
        if ($ca -and $cb) { $text = (@($text, "garbage collections per run (gen0/gen1/gen2): $ca vs $cb") | Where-Object { $_ }) -join '; ' }
        if ($text) { " ($text)" } else { '' } }
    $rows.Add(@('`$r = Get-SockConnection -Protocol Tcp` at 500,000 sockets <= 9x its time at 60,000 (the load is 8.3x)',
            "$(& $ms $tcpLarge) vs $(& $ms $tcpSmall): $(Format-Ratio $growth $null)x$(& $faultText 'Tcp')", (Get-Verdict $growth 9.0)))
    # The kernel's dump with a tally and nothing else (no owners, no object per socket): how fast the table
    # itself grows to read on this host, the pace no reader built on it can beat.
    $summarySmall = if ($small) { Get-SizeMedian $small 'InProcess' 'Summary' } else { $null }
    $summaryLarge = if ($large) { Get-SizeMedian $large 'InProcess' 'Summary' } else { $null }
    if ($null -ne $summarySmall -and $null -ne $summaryLarge) {
        $rows.Add(@('... the kernel''s dump alone, counted (`$r = Get-SockSummary`: no owners, no object per socket), 500,000 vs 60,000 sockets',
                "$(& $ms $summaryLarge) vs $(& $ms $summarySmall): $(Format-Ratio (Get-Ratio $summaryLarge $summarySmall) $null)x", '(for information)'))
    }
    # What the host charges for each of those faults (FreshMemory.cs), and how the read grows without them.
    $price = @(@($small, $large) | Where-Object { $_ -and $_.PSObject.Properties['FreshMemory'] -and $_.FreshMemory } | ForEach-Object { $_.FreshMemory })
    $faultsLarge = & $faultsOf $large 'Tcp'
    $faultsSmall = & $faultsOf $small 'Tcp'
    if ($price.Count -and $null -ne $faultsLarge -and $null -ne $faultsSmall -and $null -ne $tcpLarge -and $null -ne $tcpSmall) {
        $perPage = Get-Median ([double[]] @($price.FirstTouchMicrosecondsPerPage))
        $mapped = Get-Median ([double[]] @($price.RewriteMicrosecondsPerPage))
        $costLarge = $faultsLarge * $perPage / 1000
        $costSmall = $faultsSmall * $perPage / 1000
        $rows.Add(@('... the host''s price of new memory: writing a 4 KiB page never touched before (a page fault), measured in the same pwsh (150 MB, median of all probes), and the read without its faults at that price',
                ('{0:N1} µs a page ({1:N2} µs once mapped); the faults cost about {2} at 500,000 and {3} at 60,000; the rest: {4} vs {5}: {6}x' -f $perPage, $mapped,
                    (& $ms $costLarge), (& $ms $costSmall), (& $ms ($tcpLarge - $costLarge)), (& $ms ($tcpSmall - $costSmall)), (Format-Ratio (Get-Ratio ($tcpLarge - $costLarge) ($tcpSmall - $costSmall)) $null)),
                '(for information: an estimate)'))
    }
    # How our own work grows (the reader alone, keeping nothing), and what pwsh itself costs for keeping that many objects (PwshFloor.cs).
    $readerSmall = if ($small) { Get-SizeMedian $small 'InProcess' 'ReaderOnly' } else { $null }
    $readerLarge = if ($large) { Get-SizeMedian $large 'InProcess' 'ReaderOnly' } else { $null }
    if ($null -ne $readerSmall -and $null -ne $readerLarge) {
        $rows.Add(@('... the reader alone (the same read through the internal API, entries counted and dropped: no pwsh pipeline, nothing kept), 500,000 vs 60,000 sockets',
                "$(& $ms $readerLarge) vs $(& $ms $readerSmall): $(Format-Ratio (Get-Ratio $readerLarge $readerSmall) $null)x$(& $faultText 'ReaderOnly')", '(for information)'))
    }
    $floorSmall = if ($small) { Get-SizeMedian $small 'InProcess' 'Floor' } else { $null }
    $floorLarge = if ($large) { Get-SizeMedian $large 'InProcess' 'Floor' } else { $null }
    if ($null -ne $floorSmall -and $null -ne $floorLarge -and $null -ne $tcpSmall -and $null -ne $tcpLarge) {
        $rows.Add(@('... pwsh alone keeping as many objects: `$r = Write-EntrySizedObject N`, objects of an entry''s size from a cmdlet that does nothing else, 500,000 vs 60,000',
                "$(& $ms $floorLarge) vs $(& $ms $floorSmall): $(Format-Ratio (Get-Ratio $floorLarge $floorSmall) $null)x$(& $faultText 'Floor')",
                '(for information)'))
    }
    # The same read and floor under other GC settings (Invoke-SizeRun.ps1 says why these two).
    $variantText = @(
        @('NoConcurrentGc', '... the same read in a pwsh without background GC (`DOTNET_gcConcurrent=0`, the documented .NET setting System.GC.Concurrent). pwsh runs with it, and then the gen0 budget stays at 6 MB (the runtime''s GC events say so): every object the read keeps is copied from gen0 to gen1 to gen2 a few MB at a time. Without it the budget grows with what survives. 500,000 vs 60,000'),
        @('NoCollection', '... the same read with a 256 MB gen0 budget (`DOTNET_GCgen0size=0x10000000`, a runtime knob, for diagnosis): no collection runs during the read, so nothing it keeps is copied. 500,000 vs 60,000')
    )
    foreach ($variant in $variantText) {
        $vSmall = if ($small) { Get-SizeMedian $small $variant[0] 'Tcp' } else { $null }
        $vLarge = if ($large) { Get-SizeMedian $large $variant[0] 'Tcp' } else { $null }
        if ($null -eq $vSmall -or $null -eq $vLarge) { continue }
        $fSmall = Get-SizeMedian $small $variant[0] 'Floor'
        $fLarge = Get-SizeMedian $large $variant[0] 'Floor'
        $rows.Add(@($variant[1],
                ("$(& $ms $vLarge) vs $(& $ms $vSmall): $(Format-Ratio (Get-Ratio $vLarge $vSmall) $null)x$(& $faultText 'Tcp' $variant[0]); " +
                    "pwsh alone keeping as many objects there: $(& $ms $fLarge) vs $(& $ms $fSmall): $(Format-Ratio (Get-Ratio $fLarge $fSmall) $null)x$(& $faultText 'Floor' $variant[0])"),
                '(for information)'))
    }

    $memory = if ($large -and $large.Memory -and $large.Memory.PSObject.Properties['CountKB']) { $large.Memory } else { $null }
    $grownMb = if ($memory) { ((Get-Median ([double[]] $memory.CountKB)) - (Get-Median ([double[]] $memory.BaselineKB))) / 1KB } else { $null }
    $rows.Add(@('Peak memory (VmHWM) of `Get-SockConnection -Protocol Tcp | Measure-Object` at 500,000 sockets grows <= 100 MB over a pwsh that only imported the module',
            $(if ($memory) { '+{0:N0} MB ({1:N0} sockets, {2})' -f $grownMb, $memory.CountRows, (& $ms (Get-Median ([double[]] $memory.CountMs))) } else { 'n/a' }), (Get-Verdict $grownMb 100)))

    foreach ($size in @($small, $large) | Where-Object { $_ }) {
        $checks = if ($size.InProcess.PSObject.Properties['Checks']) { $size.InProcess.Checks } else { $null }
        $missing = if ($checks) { [double] $checks.EstablishedWithoutOwner } else { $null }
        $rows.Add(@("Every established socket has its owner, at $(Format-Count (2 * $size.Connections)) sockets",
                $(if ($checks) { "$(Format-Count $checks.EstablishedWithoutOwner) of $(Format-Count $checks.Established) without an owner" + $(if ($checks.PSObject.Properties['EstablishedWithoutFile'] -and $checks.EstablishedWithoutFile) { " ($(Format-Count $checks.EstablishedWithoutFile) more still in an accept queue, no file: nobody owns them yet)" } else { '' }) } else { 'n/a' }), (Get-Verdict $missing 0)))
    }

    foreach ($size in @($small, $large) | Where-Object { $_ }) {
        $ours = Get-SizeMedian $size 'InProcess' 'Tcp'
        $ss = Get-SizeMedian $size 'External' 'ss -tan'
        $ratio = Get-Ratio $ours $ss
        $rows.Add(@("Owners for almost nothing: ``Get-SockConnection -Protocol Tcp`` (with owners) <= 1.2x ``ss -tan`` (no owners), at $(Format-Count (2 * $size.Connections)) sockets",
                "$(& $ms $ours) vs $(& $ms $ss): $(Format-Ratio $ratio $null)", (Get-Verdict $ratio 1.2)))
    }

    if ($small) {
        foreach ($case in @(@('Summary', '`$r = Get-SockSummary`'), @('PortUsage', '`$r = Get-SockPortUsage`'))) {
            $ours = Get-SizeMedian $small 'InProcess' $case[0]
            $ss = Get-SizeMedian $small 'External' 'ss -tan'
            $ratio = Get-Ratio $ours $ss
            $rows.Add(@("The new readers keep the pace: $($case[1]) <= 0.5x ``ss -tan``, at $(Format-Count (2 * $small.Connections)) sockets",
                    "$(& $ms $ours) vs $(& $ms $ss): $(Format-Ratio $ratio $null)", (Get-Verdict $ratio 0.5)))
        }
    }

    foreach ($size in @($small, $large) | Where-Object { $_ }) {
        $checks = if ($size.InProcess.PSObject.Properties['Checks']) { $size.InProcess.Checks } else { $null }
        $reader = if ($checks -and $checks.PSObject.Properties['ReaderBytesPerSocket'] -and $null -ne $checks.ReaderBytesPerSocket) { [double] $checks.ReaderBytesPerSocket } else { $null }
        $whole = if ($checks -and $null -ne $checks.BytesPerSocket) { [double] $checks.BytesPerSocket } else { $null }
        $why = if ($checks -and $checks.PSObject.Properties['ReaderError'] -and $checks.ReaderError) { " (reader alone not measured: $($checks.ReaderError))" } else { '' }
        $rows.Add(@(('Bytes allocated per socket by the reader (rows, owners, entries; all threads, through the internal API without the pwsh pipeline), at {0} sockets: aim at 300 or less' -f (Format-Count (2 * $size.Connections))),
                ('{0}; the whole `$r = Get-SockConnection -Protocol Tcp` in pwsh: {1}{2}' -f $(if ($null -eq $reader) { 'n/a' } else { $reader.ToString('N0', $script:Invariant) + ' bytes' }), $(if ($null -eq $whole) { 'n/a' } else { $whole.ToString('N0', $script:Invariant) + ' bytes' }), $why),
                (Get-Verdict $reader 300)))
    }

    $watched = @($Run.Sizes) | Where-Object { $_.Watch } | Select-Object -First 1
    if ($watched) {
        $w = $watched.Watch
        # Sampled inside the watch once its first look was over (Measure-Watch.ps1); older results: the difference of two watches.
        # Per-poll samples (newer results): their median is the verdict, the mean is shown beside it.
        $mean = if ($w.PSObject.Properties['Steady'] -and $w.Steady) { $w.Steady.CpuMilliseconds / $w.Steady.Polls } else { ($w.Watch.CpuMilliseconds - $w.First.CpuMilliseconds) / ($w.Polls - 1) }
        $perPoll = if ($w.PSObject.Properties['Steady'] -and $w.Steady -and $w.Steady.PSObject.Properties['PerPollCpuMilliseconds']) { @($w.Steady.PerPollCpuMilliseconds) } else { @() }
        $steady = if ($perPoll.Count) { Get-Median ([double[]] $perPoll) } else { $mean }
        $ssCpu = if ($w.PSObject.Properties['SsTanCpuMilliseconds'] -and @($w.SsTanCpuMilliseconds).Count) { Get-Median ([double[]] $w.SsTanCpuMilliseconds) } else { $null }
        $ratio = Get-Ratio ($steady / $w.IntervalSeconds) $ssCpu
        $how = if ($perPoll.Count) { 'median of {0} later polls (each with the idle time around it; their mean {1} ms)' -f $perPoll.Count, (Format-Ms $mean) } else { 'per later poll (and the idle time around it)' }
        $rows.Add(@("Watch-SockState -IntervalSeconds $($w.IntervalSeconds) at $(Format-Count (2 * $watched.Connections)) sockets: CPU per second <= 0.6x the CPU of one ``ss -tan``",
                ('{0} ms CPU, {1}, vs {2} for ss -tan: {3} (first snapshot {4}; {5} polls)' -f (Format-Ms $steady), $how, (& $ms $ssCpu), (Format-Ratio $ratio $null), (& $ms $w.First.CpuMilliseconds), $w.Polls),
                $(if ($watched.Connections -eq $script:TargetConnections) { Get-Verdict $ratio 0.6 } else { 'n/a (the target is at 60,000 sockets)' })))
    }
    foreach ($row in Get-ReaderRow $Run) { $rows.Add($row) }
    return $rows.ToArray()
}

function Get-ReaderRow {
    # Issue 16's UNIX and -AllNetworkNamespaces targets, from the blocks that ran with loads of their own.
    param($Run)
    $ms = { param($v) if ($null -eq $v) { 'n/a' } else { (Format-Ms $v) + ' ms' } }
    $unix = if ($Run.PSObject.Properties['Unix']) { $Run.Unix } else { $null }
    if ($unix) {
        $ours = Get-Median ([double[]] $unix.Rounds.InProcess.Samples.Unix)
        $ss = $unix.Rounds.External.'ss -xp'
        $ssMs = if ($ss.Samples) { Get-Median ([double[]] $ss.Samples) } else { $null }
        $plain = $unix.Rounds.External.'ss -x'
        $plainMs = if ($plain.Samples) { Get-Median ([double[]] $plain.Samples) } else { $null }
        $ratio = Get-Ratio $ours $ssMs
        , @("UNIX sockets with owners: ``Get-SockConnection -Protocol Unix`` <= 0.35x ``ss -xp``, at $(Format-Count $unix.Sockets) UNIX sockets",
            ('{0} vs {1}: {2} ({3} objects; `ss -x`, no owners: {4}){5}' -f (& $ms $ours), (& $ms $ssMs), (Format-Ratio $ratio $null), (Format-Count $unix.Rounds.InProcess.Counts.Unix), (& $ms $plainMs), $(if ($ss.Error) { "; ss -xp: $($ss.Error)" } else { '' })),
            (Get-Verdict $ratio 0.35))
    }
    $spaces = if ($Run.PSObject.Properties['Namespaces']) { $Run.Namespaces } else { $null }
    if ($spaces) {
        $samples = $spaces.Rounds.InProcess.Samples
        $all = Get-Median ([double[]] $samples.All)
        $sum = 0.0
        foreach ($name in $spaces.Namespaces) { $sum += Get-Median ([double[]] $samples.$name) }
        $ratio = Get-Ratio $all $sum
        , @("``-AllNetworkNamespaces`` over $(@($spaces.Namespaces).Count) namespaces <= 1.5x the sum of reading each one alone (``Get-SockConnection -Protocol Tcp``, with owners; $(Format-Count $spaces.Connections) connections in each)",
            ('{0} ({1} objects) vs {2} summed over {3} reads: {4}' -f (& $ms $all), (Format-Count $spaces.Rounds.InProcess.Counts.All), (& $ms $sum), @($spaces.Namespaces).Count, (Format-Ratio $ratio $null)),
            (Get-Verdict $ratio 1.5))
    }
}

Export-ModuleMember -Function New-BenchReport, ConvertTo-MarkdownTable, Format-Ms, Format-Ratio
