# Watch-SockState against a story this test plays with SockPeer processes:
# listen, two clients connect, they close (TIME_WAIT on their side), the server is killed.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest
    $modulePath = Join-Path (Get-Module SockTools).ModuleBase 'SockTools.psd1'

    function Get-FreePort {
        # A port nothing uses right now: bind to 0, read what the kernel gave, let it go.
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start()
        $port = $probe.LocalEndpoint.Port
        $probe.Stop()
        $port
    }

    function Start-Watch {
        # Runs Watch-SockState in a thread job so the test can make things happen meanwhile.
        param([string] $Arguments)
        $job = Start-ThreadJob -ScriptBlock {
            param($modulePath, $arguments)
            Import-Module $modulePath
            Invoke-Expression "Watch-SockState $arguments"
        } -ArgumentList $modulePath, $Arguments
        $job
    }

    function Wait-Poll { Start-Sleep -Milliseconds 400 } # several 0.05 s polls
}

Describe 'Watch-SockState sees a connection story in order' {
    BeforeAll {
        $port = Get-FreePort
        $job = Start-Watch "-Port $port -IntervalSeconds 0.05 -TimeoutSeconds 20 -IncludeExisting"
        Start-Sleep -Seconds 2 # the job imports the module and takes its first snapshot

        $server = Start-SockPeer
        $client = Start-SockPeer
        $listenerId = $server.Send("listen 127.0.0.1 $port")[0]
        Wait-Poll
        $c1 = $client.Send("connect 127.0.0.1 $port")
        $s1 = $server.Send("accept $listenerId")
        $c2 = $client.Send("connect 127.0.0.1 $port")
        $s2 = $server.Send("accept $listenerId")
        Wait-Poll
        $client.Send("close $($c1[0])") | Out-Null
        $client.Send("close $($c2[0])") | Out-Null
        Wait-Poll
        $server.Send("close $($s1[0])") | Out-Null
        $server.Send("close $($s2[0])") | Out-Null
        Wait-Poll
        $server.Kill()
        Wait-Poll
        $job | Stop-Job
        $changes = @($job | Receive-Job -ErrorAction Stop)
        $job | Remove-Job -Force
        $client.Kill()

        $clientPorts = @([int] $c1[1], [int] $c2[1])
        function IndexOf([scriptblock] $Where) {
            for ($i = 0; $i -lt $changes.Count; $i++) { if (& $Where $changes[$i]) { return $i } }
            -1
        }
    }

    It 'reports the listener opening, owned by the server' {
        $open = @($changes | Where-Object { $_.ChangeType -eq 'Opened' -and $_.State -eq 'Listen' })
        $open | Should -HaveCount 1
        $open.ProcessId | Should -Be $server.Id
        $open.LocalPort | Should -Be $port
    }

    It 'reports four Established openings, two per side, each with its owner' {
        $est = @($changes | Where-Object { $_.ChangeType -eq 'Opened' -and $_.State -eq 'Established' })
        $est | Should -HaveCount 4
        # A server-side socket exists from the handshake on, before accept() gives it an fd: a poll in that
        # window sees it without an owner. Polling cannot do better, so the server side may lack its PID.
        $serverSide = @($est | Where-Object LocalPort -eq $port)
        $serverSide | Should -HaveCount 2
        $serverSide | Where-Object { $null -ne $_.ProcessId -and $_.ProcessId -ne $server.Id } | Should -BeNullOrEmpty
        $clientSide = @($est | Where-Object RemotePort -eq $port)
        $clientSide.ProcessId | Should -Be @($client.Id, $client.Id)
        ($clientSide.LocalPort | Sort-Object) | Should -Be ($clientPorts | Sort-Object)
    }

    It 'reports the closing side moving into TimeWait, keeping its owner' {
        $tw = @($changes | Where-Object { $_.ChangeType -eq 'Changed' -and $_.State -eq 'TimeWait' })
        $tw | Should -HaveCount 2
        ($tw.LocalPort | Sort-Object) | Should -Be ($clientPorts | Sort-Object)
        $tw.RemotePort | Sort-Object -Unique | Should -Be $port
        $tw.ProcessId | Sort-Object -Unique | Should -Be $client.Id
        $tw.PreviousState | Should -Not -Contain 'TimeWait'
    }

    It 'reports the listener closing when the server dies' {
        $closed = @($changes | Where-Object { $_.ChangeType -eq 'Closed' -and $_.PreviousState -eq 'Listen' })
        $closed | Should -HaveCount 1
        $closed.State | Should -BeNullOrEmpty -Because 'a socket that is gone has no state'
        $closed.ProcessId | Should -Be $server.Id
    }

    It 'keeps the story in order' {
        $listen = IndexOf { param($c) $c.ChangeType -eq 'Opened' -and $c.State -eq 'Listen' }
        $lastOpen = ($changes | ForEach-Object { $_ } | Where-Object { $_.ChangeType -eq 'Opened' -and $_.State -eq 'Established' } | ForEach-Object { [array]::IndexOf($changes, $_) } | Measure-Object -Maximum).Maximum
        $firstTw = IndexOf { param($c) $c.ChangeType -eq 'Changed' -and $c.State -eq 'TimeWait' }
        $listenClosed = IndexOf { param($c) $c.ChangeType -eq 'Closed' -and $c.PreviousState -eq 'Listen' }
        $listen | Should -BeGreaterOrEqual 0
        $listen | Should -BeLessThan $lastOpen
        $lastOpen | Should -BeLessThan $firstTw
        $firstTw | Should -BeLessThan $listenClosed
    }

    It 'sees only the watched port' {
        $changes | Where-Object { $_.LocalPort -ne $port -and $_.RemotePort -ne $port } | Should -BeNullOrEmpty
    }
}

Describe 'Watch-SockState stops when told' {
    BeforeAll {
        $peer = Start-SockPeer
        $listenerId, $listenPort = $peer.Send('listen 127.0.0.1 0')
    }
    AfterAll { $peer.Kill() }

    It 'stops after -TimeoutSeconds with nothing to report' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $out = Watch-SockState -Port (Get-FreePort) -IntervalSeconds 0.1 -TimeoutSeconds 1
        $watch.Stop()
        $out | Should -BeNullOrEmpty
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'stops after -Count changes' {
        $out = Watch-SockState -ProcessId $peer.Id -IncludeExisting -Count 1 -TimeoutSeconds 30
        $out | Should -HaveCount 1
        $out.ChangeType | Should -Be 'Opened'
        $out.LocalPort | Should -Be $listenPort
    }

    It 'returns at the first change when piped to Select-Object -First 1' {
        $port = Get-FreePort
        $opener = Start-ThreadJob -ScriptBlock {
            param($peerPath, $port)
            Start-Sleep -Milliseconds 1500
            $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port)
            $l.Start()
            Start-Sleep -Seconds 3
            $l.Stop()
        } -ArgumentList (Get-SockPeerPath), $port
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $first = Watch-SockState -Port $port -IntervalSeconds 0.05 -TimeoutSeconds 30 | Select-Object -First 1
            $watch.Stop()
            $first.ChangeType | Should -Be 'Opened'
            $first.State | Should -Be 'Listen'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 4
        }
        finally { $opener | Remove-Job -Force }
    }

    It 'ends promptly when the pipeline is stopped (as Ctrl+C does)' {
        $job = Start-Watch '-Port 1 -IntervalSeconds 5'
        Start-Sleep -Seconds 2
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $job | Stop-Job
        $watch.Stop()
        $job.State | Should -Be 'Stopped'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 4
        $job | Remove-Job -Force
    }

    It 'applies the state filter' {
        $out = Watch-SockState -ProcessId $peer.Id -State Established -IncludeExisting -TimeoutSeconds 0.3 -IntervalSeconds 0.1
        $out | Should -BeNullOrEmpty
    }
}

Describe 'Watch-SockState catches connections shorter than one interval' {
    It 'reports a connection that opened and closed between two polls (kernel destroy notifications)' {
        if (-not (Test-IsRoot)) { Set-ItResult -Skipped -Because 'joining the sock_diag destroy groups needs root (CAP_NET_ADMIN)'; return }
        $server = Start-SockPeer
        $client = Start-SockPeer
        try {
            $listenerId, $port = $server.Send('listen 127.0.0.1 0')
            $port = [int] $port
            $job = Start-Watch "-Port $port -IntervalSeconds 4 -TimeoutSeconds 6"
            Start-Sleep -Seconds 2.5 # module loaded, first snapshot taken, well inside the first interval
            $connId, $clientPort = $client.Send("connect 127.0.0.1 $port")
            $acceptedId, $null = $server.Send("accept $listenerId")
            $server.Send("close $acceptedId") | Out-Null  # the server closes first: its side goes to TIME_WAIT...
            $client.Send("close $connId") | Out-Null      # ...and the client's side is destroyed at once
            $changes = @($job | Wait-Job -Timeout 20 | Receive-Job)
            $job | Remove-Job -Force

            $short = @($changes | Where-Object { $_.ChangeType -eq 'Closed' -and $null -eq $_.PreviousState })
            $short | Should -HaveCount 1
            $short.LocalPort | Should -Be ([int] $clientPort)
            $short.RemotePort | Should -Be $port
            $short.Protocol | Should -Be 'Tcp'
            # The other side outlives the poll in TIME_WAIT, so polling itself reports it.
            $tw = @($changes | Where-Object { $_.ChangeType -eq 'Opened' -and $_.State -eq 'TimeWait' })
            $tw.LocalPort | Should -Be $port
        }
        finally { $server.Kill(); $client.Kill() }
    }

    It 'explains in -Verbose whether it can catch them' {
        $v = Watch-SockState -Port 1 -TimeoutSeconds 0.1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($v.Message -join "`n") | Should -Match 'Destroy notifications (on|off)'
        $v = Watch-SockState -Port 1 -State Established -TimeoutSeconds 0.1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($v.Message -join "`n") | Should -Match 'Destroy notifications off: .*-State'
    }
}

Describe 'Watch-SockState output' {
    It 'exports to CSV with the change and every socket column' {
        $peer = Start-SockPeer
        try {
            $null, $port = $peer.Send('listen 127.0.0.1 0')
            $csv = Watch-SockState -LocalPort $port -IncludeExisting -Count 1 | ConvertTo-Csv | ConvertFrom-Csv
            $csv.ChangeType | Should -Be 'Opened'
            $csv.State | Should -Be 'Listen'
            $csv.LocalAddress | Should -Be '127.0.0.1'
            $csv.LocalPort | Should -Be $port
            $csv.ProcessId | Should -Be "$($peer.Id)"
            $csv.TimeStamp | Should -Not -BeNullOrEmpty
        }
        finally { $peer.Kill() }
    }

    It 'rejects an interval below 0.05 s naming the range' {
        { Watch-SockState -IntervalSeconds 0.01 -ErrorAction Stop } | Should -Throw -ExpectedMessage '*0.01*0.05*'
    }
}
