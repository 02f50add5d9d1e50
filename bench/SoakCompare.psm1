# The soak's verdict on missed changes: the churn load's log against the watch's changes. The matching
# itself is C# (SoakMatcher.cs, compiled here once per session) because of the volume: ~1 million changes.

Set-StrictMode -Version Latest

if (-not ('SockToolsSoak.SoakMatcher' -as [type])) {
    Add-Type -Path (Join-Path $PSScriptRoot 'SoakMatcher.cs')
}

function Read-SoakChange {
    # The watch's changes (Watch-SoakChanges.ps1's CSV), indexed by socket, with counts per minute of the watch.
    param([string] $Path, [DateTime] $StartUtc)
    [SockToolsSoak.SoakMatcher]::ReadChanges($Path, $StartUtc)
}

function Compare-SoakRun {
    # Every connection of the load's log against the changes; see SoakMatcher.Compare.
    param([string] $LoadLogPath, $Changes, [double] $IntervalSeconds, [DateTime] $WatchEndUtc, [int] $ListMax = 20)
    [SockToolsSoak.SoakMatcher]::Compare($LoadLogPath, $Changes, $IntervalSeconds, $WatchEndUtc, $ListMax)
}

function Get-PollGap {
    # Milliseconds between consecutive polls that reported a change, from -FromUtc to -ToUtc. Under the load
    # every poll reports something (about ten connections open per 0.1 s), so these are the poll spacings.
    param($Changes, [DateTime] $FromUtc, [DateTime] $ToUtc)
    [SockToolsSoak.SoakMatcher]::PollGaps($Changes, $FromUtc, $ToUtc)
}

function Get-Percentile {
    # 0.5 = median, 0.99, 1 = max; $null when there are no values.
    param($Values, [double] $Fraction)
    $value = [SockToolsSoak.SoakMatcher]::Percentile($Values, $Fraction)
    if ([double]::IsNaN($value)) { $null } else { $value }
}

Export-ModuleMember -Function Read-SoakChange, Compare-SoakRun, Get-PollGap, Get-Percentile
