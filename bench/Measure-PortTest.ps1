<#
  Worker: Test-SockPort against many ports of one address, and (-TestConnection) the same check as
  a loop of Test-Connection -TcpPort, the closest built-in. Prints one JSON line; Available is
  false when the module does not export Test-SockPort yet.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Address,
    [Parameter(Mandatory)] [int] $FirstPort,
    [Parameter(Mandatory)] [int] $Count,
    [double] $TimeoutSeconds = 1,
    # Test-SockPort's -ThrottleLimit; 0 leaves its default.
    [int] $ThrottleLimit = 0,
    [int] $Repeat = 3,
    [switch] $TestConnection,
    # The loop is sequential: if it would run longer than this, stop and extrapolate from the ports done.
    [int] $TestConnectionBudgetSeconds = 60
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue' # no progress bars drawn inside a timing
Import-Module $ModulePath
$ports = [int[]] ($FirstPort..($FirstPort + $Count - 1))
$result = [ordered]@{ Available = $false; Samples = @(); Statuses = @{}; Error = $null; TestConnection = $null }

if (Get-Command Test-SockPort -Module SockTools -ErrorAction SilentlyContinue) {
    $result.Available = $true
    try {
        $check = @{ ComputerName = $Address; Port = $ports; TimeoutSeconds = $TimeoutSeconds }
        if ($ThrottleLimit -gt 0) { $check.ThrottleLimit = $ThrottleLimit }
        $null = Test-SockPort -ComputerName $Address -Port $ports[0] -TimeoutSeconds $TimeoutSeconds # warm-up: JIT, first socket
        $samples = [Collections.Generic.List[double]]::new()
        for ($i = 0; $i -lt $Repeat; $i++) {
            [GC]::Collect(); [GC]::WaitForPendingFinalizers()
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $r = Test-SockPort @check
            $samples.Add($clock.Elapsed.TotalMilliseconds)
        }
        $result.Samples = $samples
        # The statuses prove what was measured: closed ports must be Refused, dropped ones TimedOut.
        $r | Group-Object { [string] $_.Status } | ForEach-Object { $result.Statuses[$_.Name] = $_.Count }
    }
    catch {
        $result.Error = $_.Exception.Message
    }
}

if ($TestConnection) {
    $seconds = [int] [Math]::Max(1, [Math]::Ceiling($TimeoutSeconds)) # Test-Connection takes whole seconds only
    $null = Test-Connection -TargetName $Address -TcpPort $ports[0] -TimeoutSeconds $seconds -Quiet # warm-up
    $open = 0
    $done = 0
    $clock = [Diagnostics.Stopwatch]::StartNew()
    foreach ($p in $ports) {
        if (Test-Connection -TargetName $Address -TcpPort $p -TimeoutSeconds $seconds -Quiet) { $open++ }
        $done++
        if ($clock.Elapsed.TotalSeconds -gt $TestConnectionBudgetSeconds) { break }
    }
    $elapsed = $clock.Elapsed.TotalMilliseconds
    $result.TestConnection = [ordered]@{
        Ports        = $done
        Milliseconds = $elapsed
        # Each call is one sequential connect: the total scales linearly with the port count.
        Extrapolated = $elapsed * $Count / $done
        Open         = $open
    }
}

[pscustomobject] $result | ConvertTo-Json -Compress -Depth 4
