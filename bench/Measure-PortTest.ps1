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
    # The loop is timed this many times and the median pass kept: one pass alone swung from 303 to 606 ms between runs.
    [int] $TestConnectionPasses = 3,
    # The loop is sequential: if a pass would run longer than this, stop and extrapolate from the ports done.
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
        # Warm-up: the same call once, as the in-process rows of the benchmark warm up (one port left the first
        # timed run paying for the JIT of everything a thousand targets use: ordering, explanations, progress).
        $null = Test-SockPort @check
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
    $passes = [Collections.Generic.List[object]]::new()
    for ($pass = 0; $pass -lt $TestConnectionPasses; $pass++) {
        $open = 0
        $done = 0
        $clock = [Diagnostics.Stopwatch]::StartNew()
        foreach ($p in $ports) {
            if (Test-Connection -TargetName $Address -TcpPort $p -TimeoutSeconds $seconds -Quiet) { $open++ }
            $done++
            if ($clock.Elapsed.TotalSeconds -gt $TestConnectionBudgetSeconds) { break }
        }
        $elapsed = $clock.Elapsed.TotalMilliseconds
        # Each call is one sequential connect: the total scales linearly with the port count.
        $passes.Add([pscustomobject]@{ Ports = $done; Milliseconds = $elapsed; Extrapolated = $elapsed * $Count / $done; Open = $open })
        if ($done -lt $Count) { break } # over the budget: one pass is all the time allows
    }
    $median = @($passes | Sort-Object Extrapolated)[[int][Math]::Floor(($passes.Count - 1) / 2)]
    $result.TestConnection = [ordered]@{
        Ports        = $median.Ports
        Milliseconds = $median.Milliseconds
        Extrapolated = $median.Extrapolated
        Open         = $median.Open
        Passes       = @($passes | ForEach-Object { $_.Extrapolated })
    }
}

[pscustomobject] $result | ConvertTo-Json -Compress -Depth 4
