# The soak's three verdicts (memory flat, no fd growth, no missed change) and its markdown report.

Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchReport.psm1') # ConvertTo-MarkdownTable
Import-Module (Join-Path $PSScriptRoot 'SoakCompare.psm1') # Get-Percentile

$script:Invariant = [Globalization.CultureInfo]::InvariantCulture

function Format-Number {
    param($Value, [string] $Format = 'N0')
    if ($null -eq $Value) { 'n/a' } else { ([double] $Value).ToString($Format, $script:Invariant) }
}

function Format-Share { param($Value) if ($null -eq $Value) { 'n/a' } else { ([double] $Value).ToString('P1', $script:Invariant) } }

function Get-SoakVerdict {
    # The issue's three criteria, each as Result (PASS, FAIL or a reason it cannot be judged) and Detail.
    # Samples: minute 0 (before the load) .. Minutes, one a minute.
    param([object[]] $Samples, $Match)
    $byMinute = @{}
    foreach ($s in $Samples) { $byMinute[[int] $s.Minute] = $s }
    $last = [int] ($Samples | Measure-Object -Property Minute -Maximum).Maximum
    $verdicts = [Collections.Generic.List[object]]::new()

    # Memory: mean RSS of the last 10 minutes within 5 % of the mean of minutes 5-10. The two windows
    # must not overlap, so it takes 20 minutes; a shorter run says so instead of a false PASS.
    $memory = [ordered]@{ Criterion = 'Memory flat: mean RSS of the last 10 minutes within 5 % of minutes 5-10'; Result = ''; Detail = '' }
    if ($last -lt 20) {
        $memory.Result = 'not enough minutes'
        $memory.Detail = "needs at least 20 minutes (this run: $last)"
    }
    else {
        $early = ($Samples | Where-Object { $_.Minute -ge 5 -and $_.Minute -le 10 } | Measure-Object -Property RssKB -Average).Average
        $late = ($Samples | Where-Object { $_.Minute -gt $last - 10 } | Measure-Object -Property RssKB -Average).Average
        $change = ($late - $early) / $early
        $memory.Result = if ([Math]::Abs($change) -le 0.05) { 'PASS' } else { 'FAIL' }
        $memory.Detail = '{0:N1} MB (minutes {1}-{2}) vs {3:N1} MB (minutes 5-10): {4:+0.0;-0.0} %' -f ($late / 1KB), ($last - 9), $last, ($early / 1KB), (100 * $change)
    }
    $verdicts.Add([pscustomobject] $memory)

    # Fds: the same windows as memory. The runtime keeps one fd per assembly it loads, and a few load late
    # (the first time some code path runs), so a rise in the first minutes is warm-up, not a leak.
    $fds = [ordered]@{ Criterion = 'No fd growth: no minute of the last 10 has more open fds than the most of minutes 5-10'; Result = ''; Detail = '' }
    $range = { param($Values) $m = $Values | Measure-Object -Minimum -Maximum; if ($m.Minimum -eq $m.Maximum) { "$($m.Minimum)" } else { "$($m.Minimum)-$($m.Maximum)" } }
    if ($last -lt 20) {
        $fds.Result = 'not enough minutes'
        $fds.Detail = "needs at least 20 minutes (this run: minute 1: $($byMinute[1].Fds), minute ${last}: $($byMinute[$last].Fds))"
    }
    else {
        $early = @($Samples | Where-Object { $_.Minute -ge 5 -and $_.Minute -le 10 } | ForEach-Object Fds)
        $late = @($Samples | Where-Object { $_.Minute -gt $last - 10 } | ForEach-Object Fds)
        $fds.Result = if (($late | Measure-Object -Maximum).Maximum -le ($early | Measure-Object -Maximum).Maximum) { 'PASS' } else { 'FAIL' }
        $fds.Detail = "minutes 5-10: $(& $range $early); minutes $($last - 9)-${last}: $(& $range $late)"
    }
    $verdicts.Add([pscustomobject] $fds)

    $missed = [ordered]@{ Criterion = 'No missed change: every connection that lived longer than two intervals has Opened and Closed for both ends'; Result = ''; Detail = '' }
    if ($Match.Required -eq 0) {
        $missed.Result = 'not judged'
        $missed.Detail = 'no connection lived longer than two intervals'
    }
    else {
        $missed.Result = if ($Match.Missed -eq 0) { 'PASS' } else { 'FAIL' }
        $missed.Detail = '{0} missed of {1} such connections' -f (Format-Number $Match.Missed), (Format-Number $Match.Required)
        if ($Match.Missed -gt 0) {
            $missed.Detail += ('; {0} of them with no table read entirely within their life (the watch had fallen behind its interval), {1} despite such a read' -f
                (Format-Number $Match.MissedWithoutCompleteRead), (Format-Number ($Match.Missed - $Match.MissedWithoutCompleteRead)))
        }
    }
    $verdicts.Add([pscustomobject] $missed)
    return $verdicts.ToArray()
}

function Get-FdDifference {
    # Fds of one sample against an earlier one, by what they point at (numbers of sockets and pipes
    # dropped): "+1 System.Linq.dll", "-2 socket". Empty when they hold the same.
    param([string[]] $Before, [string[]] $After)
    $count = @{}
    $name = { param($t) ($t -replace '\[\d+\]$', '' -replace '^.*/', '') }
    foreach ($t in $Before) { $k = & $name $t; $count[$k] = $(if ($count.ContainsKey($k)) { $count[$k] } else { 0 }) - 1 }
    foreach ($t in $After) { $k = & $name $t; $count[$k] = $(if ($count.ContainsKey($k)) { $count[$k] } else { 0 }) + 1 }
    @($count.GetEnumerator() | Where-Object Value -ne 0 | Sort-Object Name | ForEach-Object { '{0:+0;-0} {1}' -f $_.Value, $_.Name })
}

function New-SoakReport {
    param($Run)
    $o = $Run.Options
    $m = $Run.Match
    $c = $Run.Changes
    $out = [Collections.Generic.List[string]]::new()
    $out.Add("# Watch-SockState soak, $($Run.Machine.Date)")
    $out.Add('')
    $out.Add("Produced by ``bench/Invoke-Soak.ps1 -Minutes $($o.Minutes) -IntervalSeconds $($o.IntervalSeconds.ToString($script:Invariant))`` (bench/README.md). " +
        "One pwsh runs ``$($Run.WatchCommand)`` for $($o.Minutes) minutes while SockLoad ``--churn`` opens $($o.Rate) loopback connections a second and closes each " +
        'after a planned lifetime; that pwsh''s RSS and open fds are sampled every minute, and every connection the load logged is checked against the changes the watch reported.')
    $out.Add('')
    $out.Add((ConvertTo-MarkdownTable -LeftAlign -Header 'machine', '' -Rows @($Run.Machine.GetEnumerator() | ForEach-Object { , @($_.Key, $_.Value) })))
    $out.Add('')

    $out.Add('## Verdict')
    $out.Add('')
    $out.Add((ConvertTo-MarkdownTable -LeftAlign -Header 'criterion', 'result', 'measured' -Rows @($Run.Verdicts | ForEach-Object {
                    , @($_.Criterion, $(if ($_.Result -eq 'FAIL') { '**FAIL**' } else { $_.Result }), $_.Detail)
                })))
    $out.Add('')

    $out.Add('## Every minute')
    $out.Add('')
    $out.Add('Minute 0 is the watch running before the load started. CPU is process time (user + system) over the minute before the sample, ' +
        'as a share of one core; "other processes" is the share of the whole machine (all cores) that processes other than the watch, the load and this script used.')
    $out.Add('')
    $rows = foreach ($s in $Run.Samples) {
        , @($s.Minute, (Format-Number ($s.RssKB / 1KB) 'N1'), $s.Fds, (Format-Share $s.WatcherCpu), (Format-Share $s.LoadCpu),
            $(if ($s.Minute -ge 1) { Format-Number $s.Changes } else { '' }), (Format-Share $s.OtherCpu))
    }
    $out.Add((ConvertTo-MarkdownTable -Header 'minute', 'watch RSS (MB)', 'watch fds', 'watch CPU', 'load CPU', 'changes reported', 'other processes' -Rows $rows))
    $out.Add('')
    # Which fds came and went, so a rise can be told from a leak: minute 1 to 5 (warm-up), 5 to the last.
    $at = @{}
    foreach ($s in $Run.Samples) { $at[[int] $s.Minute] = $s }
    $lastMinute = [int] ($Run.Samples | Measure-Object -Property Minute -Maximum).Maximum
    $steps = [Collections.Generic.List[int[]]]::new()
    if ($lastMinute -ge 5) { $steps.Add(@(1, 5)); $steps.Add(@(5, $lastMinute)) } else { $steps.Add(@(1, $lastMinute)) }
    $fdNotes = foreach ($step in $steps | Where-Object { $_[0] -lt $_[1] -and $at.ContainsKey($_[0]) -and $at.ContainsKey($_[1]) }) {
        $diff = @(Get-FdDifference $at[$step[0]].FdTargets $at[$step[1]].FdTargets)
        "minute $($step[0]) to $($step[1]): " + $(if ($diff.Count -eq 0) { 'the same fds' } else { $diff -join ', ' })
    }
    $out.Add("Watch fds are the fewest of 10 looks over a second (a poll holds a few for a moment). Fds that came or went: $($fdNotes -join '; ').")
    $out.Add('')

    $out.Add('## Connections')
    $out.Add('')
    $out.Add("A connection 'lived' from accept() until the first of its two ends called close(). Those that lived longer than two intervals " +
        "($((2 * $o.IntervalSeconds * 1000).ToString('N0', $script:Invariant)) ms) must be reported: Opened and Closed for both ends (an end in TIME_WAIT is due Closed only if the watch ran 80 s past its close). " +
        'Shorter ones are for information: polls may miss them, and only the destroy notifications can report them (as Closed).')
    $out.Add('')
    $classes = @($m.ByClass.Keys)
    $rows = @(
        , (@('made') + @($classes | ForEach-Object { Format-Number $m.ByClass[$_][0] }) + @(Format-Number $m.Made))
        , (@('lived longer than two intervals') + @($classes | ForEach-Object { Format-Number $m.ByClass[$_][1] }) + @(Format-Number $m.Required))
        , (@('... fully reported') + @($classes | ForEach-Object { Format-Number ($m.ByClass[$_][1] - $m.ByClass[$_][2]) }) + @(Format-Number $m.FullyReported))
        , (@('... **missed**') + @($classes | ForEach-Object { Format-Number $m.ByClass[$_][2] }) + @(Format-Number $m.Missed))
    )
    $out.Add((ConvertTo-MarkdownTable -Header (@('') + $classes + @('all')) -Rows $rows))
    $out.Add('')
    $out.Add('Lifetime classes: flash 0-50 ms, borderline 100-200 ms, short 0.25-3 s, medium 3-30 s, long 60-300 s; ' +
        "each closed by a FIN (client first 40 %, server first 20 %) or a reset (SO_LINGER 0, client 20 %, server 20 %); connections still open when the load ended were reset. The load reported $(Format-Number $Run.Load.Made) connections, $(Format-Number $Run.Load.Errors) errors and $(Format-Number $Run.Load.Skipped) opens skipped after a stall.")
    $out.Add('')
    $rows = @(
        , @('Opened changes', (Format-Number $c.OpenedCount))
        , @('StateChanged changes', (Format-Number $c.StateChangedCount))
        , @('Closed changes', (Format-Number $c.ClosedCount))
        , @('... of them from destroy notifications (no PreviousState)', (Format-Number $c.ClosedFromFeedCount))
        , @('Ends of connections that lived two intervals or less', (Format-Number $m.ShortEnds))
        , @('... reported Opened', (Format-Number $m.ShortEndsOpenedSeen))
        , @('... reported Closed (with their exact 4-tuple)', (Format-Number $m.ShortEndsClosedSeen))
        , @('Ends still in TIME_WAIT when the watch ended (Closed not yet due)', (Format-Number $m.ClosedNotDue))
        , @('Delay from accept() to the Opened change: median / 99th percentile / max (ms)', ((Format-Number (Get-Percentile $m.OpenedDelayMs 0.5) 'N0') + ' / ' + (Format-Number (Get-Percentile $m.OpenedDelayMs 0.99) 'N0') + ' / ' + (Format-Number (Get-Percentile $m.OpenedDelayMs 1) 'N0')))
        , @('Delay from close() to the Closed change, ends without TIME_WAIT: median / 99th percentile / max (ms)', ((Format-Number (Get-Percentile $m.ClosedDelayMs 0.5) 'N0') + ' / ' + (Format-Number (Get-Percentile $m.ClosedDelayMs 0.99) 'N0') + ' / ' + (Format-Number (Get-Percentile $m.ClosedDelayMs 1) 'N0')))
        , @("Time between polls while the load ran (from the change timestamps): median / 99th percentile / max (ms)", ((Format-Number (Get-Percentile $Run.PollGaps 0.5) 'N0') + ' / ' + (Format-Number (Get-Percentile $Run.PollGaps 0.99) 'N0') + ' / ' + (Format-Number (Get-Percentile $Run.PollGaps 1) 'N0')))
        , @("... polls more than two intervals after the previous one", ('{0} of {1}' -f (Format-Number @($Run.PollGaps | Where-Object { $_ -gt 2000 * $o.IntervalSeconds }).Count), (Format-Number $Run.PollGaps.Count)))
        , @('TIME_WAIT ends: close() to Closed, min / median / max (s)', ((Format-Number ((Get-Percentile $m.TimeWaitMs 0) / 1000) 'N1') + ' / ' + (Format-Number ((Get-Percentile $m.TimeWaitMs 0.5) / 1000) 'N1') + ' / ' + (Format-Number ((Get-Percentile $m.TimeWaitMs 1) / 1000) 'N1')))
    )
    $out.Add((ConvertTo-MarkdownTable -Header 'changes', 'count' -Rows $rows))
    $out.Add('')
    if ($m.MissedList.Count -gt 0) {
        $out.Add("### Missed (first $($m.MissedList.Count) of $(Format-Number $m.Missed))")
        $out.Add('')
        foreach ($line in $m.MissedList) { $out.Add("- $line") }
        $out.Add('')
    }

    $out.Add('## Changes that should not be there')
    $out.Add('')
    $out.Add('Not part of the three criteria, but each one is a wrong change in the stream a user gets. Each end of a connection ' +
        'should be reported at most once Opened and once Closed, Opened first, with its own 4-tuple.')
    $out.Add('')
    $rows = @(
        , @('Ends reported Opened twice (a snapshot lost a live socket and a later one found it again)', (Format-Number $m.TwiceOpened))
        , @('Ends reported Closed twice', (Format-Number $m.TwiceClosed))
        , @('... one of the two Closed from a destroy notification', (Format-Number $m.TwiceClosedWithFeed))
        , @('... ends that went on to TIME_WAIT', (Format-Number $m.TwiceClosedTimeWait))
        , @('... ends that did not (no TIME_WAIT on their side)', (Format-Number ($m.TwiceClosed - $m.TwiceClosedTimeWait)))
        , @('Ends reported Closed before they were reported Opened', (Format-Number $m.ClosedBeforeOpened))
        , @('Closed changes on a load address with remote port 0 (no such socket ever existed)', (Format-Number $m.PortZero))
        , @('Changes of sockets the load never made', (Format-Number $m.Unexplained))
    )
    $out.Add((ConvertTo-MarkdownTable -Header 'change', 'count' -Rows $rows))
    $out.Add('')
    if ($m.RepeatedList.Count -gt 0) {
        $out.Add('Ends without TIME_WAIT reported Closed twice, first few:')
        $out.Add('')
        foreach ($line in $m.RepeatedList | Select-Object -First 5) { $out.Add("- $line") }
        $out.Add('')
    }
    if ($m.ClosedBeforeOpenedList.Count -gt 0) {
        $out.Add('Ends reported Closed before Opened, first few:')
        $out.Add('')
        foreach ($line in $m.ClosedBeforeOpenedList | Select-Object -First 5) { $out.Add("- $line") }
        $out.Add('')
    }
    if ($m.PortZeroList.Count -gt 0) { $out.Add('Remote port 0, first few: ' + (($m.PortZeroList | ForEach-Object { "``$_``" }) -join ', ')); $out.Add('') }
    if ($m.UnexplainedList.Count -gt 0) { $out.Add('Unexplained, first few: ' + (($m.UnexplainedList | ForEach-Object { "``$_``" }) -join ', ')); $out.Add('') }

    $out.Add('## Notes')
    $out.Add('')
    $notes = @($Run.Notes | Where-Object { $_ })
    if ($notes.Count -eq 0) { $out.Add('- None.') }
    foreach ($note in $notes) { $out.Add("- $note") }
    $out -join "`n"
}

Export-ModuleMember -Function Get-SoakVerdict, New-SoakReport
