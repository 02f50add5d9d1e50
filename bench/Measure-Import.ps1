<#
  Worker: how long Import-Module takes in a fresh pwsh (pwsh's own start-up is not counted).
  Prints one JSON line.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath
$clock.Stop()
[pscustomobject]@{ Milliseconds = $clock.Elapsed.TotalMilliseconds } | ConvertTo-Json -Compress
