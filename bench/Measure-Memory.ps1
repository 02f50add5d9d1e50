<#
  Worker: peak resident memory (VmHWM, the high-water mark the kernel keeps per process) of a
  fresh pwsh. -Export runs "Get-SockConnection | Export-Csv"; -Count runs
  "Get-SockConnection -Protocol Tcp | Measure-Object" (issue 16: entries stream, nothing holds the
  table); with neither, the same pwsh only imports the module: the baseline to subtract.
  Prints one JSON line.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [switch] $Export,
    [switch] $Count
)
$ErrorActionPreference = 'Stop'
function Get-PeakKB { [long] ((Select-String -Path /proc/self/status -Pattern '^VmHWM:\s+(\d+) kB').Matches[0].Groups[1].Value) }

Import-Module $ModulePath
$rows = 0
$milliseconds = 0.0
if ($Export) {
    $csv = [IO.Path]::GetTempFileName()
    try {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Get-SockConnection | Export-Csv -Path $csv -NoTypeInformation
        $milliseconds = $clock.Elapsed.TotalMilliseconds
        $kb = Get-PeakKB # before counting the rows, which allocates too
        $rows = ([IO.File]::ReadLines($csv) | Measure-Object).Count - 1 # minus the header
    }
    finally {
        Remove-Item $csv -ErrorAction SilentlyContinue
    }
}
elseif ($Count) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $rows = (Get-SockConnection -Protocol Tcp | Measure-Object).Count
    $milliseconds = $clock.Elapsed.TotalMilliseconds
    $kb = Get-PeakKB
}
else {
    $kb = Get-PeakKB
}
[pscustomobject]@{ PeakKB = $kb; Rows = $rows; Milliseconds = $milliseconds } | ConvertTo-Json -Compress
