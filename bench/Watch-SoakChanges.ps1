<#
  Soak worker: the pwsh whose memory and fds Invoke-Soak.ps1 samples. Runs Watch-SockState on the churn
  load's addresses and streams every change to -ChangesPath as one CSV line, flushed about once a second.
  Its own notes go to -MessagesPath: whether destroy notifications are on, warnings of the watch, and the
  line "watching <utc>" just before the measured watch starts (the soak starts the load after it).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ChangesPath,
    [Parameter(Mandatory)] [string] $MessagesPath,
    [double] $IntervalSeconds = 0.1,
    [double] $TimeoutSeconds = 60,
    [string] $LocalAddress = '127.0.61.0/24'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$invariant = [Globalization.CultureInfo]::InvariantCulture
$utf8 = [Text.UTF8Encoding]::new($false)
$messages = [IO.StreamWriter]::new($MessagesPath, $false, $utf8)
$messages.AutoFlush = $true
$changes = [IO.StreamWriter]::new($ChangesPath, $false, $utf8)
try {
    Import-Module $ModulePath

    # A one-poll watch with -Verbose says whether the kernel's destroy notifications are on. The measured
    # watch runs without -Verbose: its reader explains every poll, ten times a second, which would cost
    # memory and CPU the module does not cost its users.
    Watch-SockState -Protocol Tcp -LocalAddress $LocalAddress -TimeoutSeconds 0 -Verbose 4>&1 | ForEach-Object {
        if ($_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'Destroy notifications*') { $messages.WriteLine("verbose $($_.Message)") }
    }

    $changes.WriteLine('utc,change,previous,state,local,remote,pid')
    $changes.Flush()
    $flushed = [Diagnostics.Stopwatch]::StartNew()
    $messages.WriteLine('watching ' + [DateTime]::UtcNow.ToString('o', $invariant))
    Watch-SockState -Protocol Tcp -LocalAddress $LocalAddress -IntervalSeconds $IntervalSeconds -TimeoutSeconds $TimeoutSeconds 3>&1 | ForEach-Object {
        if ($_ -is [Management.Automation.WarningRecord]) {
            $messages.WriteLine('warning ' + [DateTime]::UtcNow.ToString('o', $invariant) + ' ' + $_.Message)
            return
        }
        $changes.WriteLine(($_.TimeStamp.ToUniversalTime().ToString('o', $invariant), $_.ChangeType, $_.PreviousState, $_.State,
                "$($_.LocalAddress):$($_.LocalPort)", "$($_.RemoteAddress):$($_.RemotePort)", $_.ProcessId) -join ',')
        if ($flushed.ElapsedMilliseconds -ge 1000) {
            $changes.Flush()
            $flushed.Restart()
        }
    }
    $messages.WriteLine('ended ' + [DateTime]::UtcNow.ToString('o', $invariant))
}
catch {
    $messages.WriteLine("error $_")
    throw
}
finally {
    $changes.Dispose()
    $messages.Dispose()
}
