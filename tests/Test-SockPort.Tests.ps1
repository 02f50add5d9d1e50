# Test-SockPort against real sockets: listeners in SockPeer processes, closed ports this test holds
# bound (so nothing else can take them), and, as root, a network namespace of its own. Traffic goes
# to loopback only, or inside that namespace; names that must not resolve are only ever looked up
# there (its resolver is on its own loopback, where nothing answers), never on this machine's DNS.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest
    $modulePath = Join-Path (Get-Module SockTools).ModuleBase 'SockTools.psd1'

    function New-BoundSocket([string] $Address, [int] $Port = 0) {
        # Bound but not listening: connects to it are refused, and no other socket can take its port.
        $ip = [ipaddress]::Parse($Address)
        $s = [System.Net.Sockets.Socket]::new($ip.AddressFamily, 'Stream', 'Tcp')
        $s.Bind([System.Net.IPEndPoint]::new($ip, $Port))
        $s
    }

    function Get-FreePort {
        # A port free on both loopback addresses, below the ephemeral range so that no test connection
        # is ever given it as its own local port.
        while ($true) {
            $port = Get-Random -Minimum 20000 -Maximum 30000
            try { (New-BoundSocket 127.0.0.1 $port).Dispose(); (New-BoundSocket ::1 $port).Dispose(); return $port }
            catch [System.Management.Automation.MethodInvocationException] { }
        }
    }

    function Get-OpenFdCount { @(Get-ChildItem /proc/self/fd).Count }

    function Start-Pwsh([string] $Command, [string] $Namespace) {
        # A child pwsh (the same one running these tests), optionally inside a network namespace.
        # Returns its output lines, exit code and wall time.
        $exe = [Environment]::ProcessPath
        $arguments = @()
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += [Reflection.Assembly]::GetEntryAssembly().Location }
        $arguments += '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$modulePath'; $Command"
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $output = if ($Namespace) { & ip netns exec $Namespace $exe @arguments 2>&1 } else { & $exe @arguments 2>&1 }
        [pscustomobject]@{ Output = @($output | ForEach-Object { "$_" }); ExitCode = $LASTEXITCODE; Seconds = $clock.Elapsed.TotalSeconds }
    }

    function Start-ScriptedPeer([string] $Script) {
        # A SockPeer fed by a shell script, for sockets that must appear or vanish while a cmdlet waits.
        $info = [Diagnostics.ProcessStartInfo]::new('bash')
        $info.ArgumentList.Add('-c')
        $info.ArgumentList.Add("($Script) | '$(Get-SockPeerPath)' >/dev/null")
        [Diagnostics.Process]::Start($info)
    }

    $server = Start-SockPeer
    $open4 = [int] $server.Send('listen 127.0.0.1 0')[1]
    $open6 = [int] $server.Send('listen ::1 0')[1]
    $null = $server.Send('udp 127.0.0.1 0')
    # Nothing may answer on ::1 at the IPv4 listener's port: hold it bound (when it is free).
    $v6Blocker = try { New-BoundSocket ::1 $open4 } catch { $null }

    # A listener whose accept queue is full: the kernel drops further SYNs, so connects stay silent
    # until they time out, as behind a firewall that drops packets.
    $silentPeer = Start-SockPeer
    $silent = [int] $silentPeer.Send('listen 127.0.0.1 0 0')[1]
    $null = $silentPeer.Send("connect 127.0.0.1 $silent")

    $closedSockets = 1..2000 | ForEach-Object { New-BoundSocket 127.0.0.1 }
    $closed = @($closedSockets | ForEach-Object { $_.LocalEndPoint.Port })
}

AfterAll {
    if ($server) { $server.Kill() }
    if ($silentPeer) { $silentPeer.Kill() }
    $closedSockets | ForEach-Object { $_.Dispose() }
    if ($v6Blocker) { $v6Blocker.Dispose() }
}

Describe 'Test-SockPort statuses' {
    It 'reports Open for a listener: address, latency and the ephemeral port the OS picked' {
        $r = Test-SockPort 127.0.0.1 $open4
        $r.ComputerName | Should -Be '127.0.0.1'
        $r.RemoteAddress | Should -Be '127.0.0.1'
        $r.Port | Should -Be $open4
        $r.Status | Should -Be 'Open'
        $r.Succeeded | Should -BeTrue
        $r.TcpTestSucceeded | Should -BeTrue
        $r.Latency | Should -BeGreaterThan 0
        $r.LocalAddress | Should -Be '127.0.0.1'
        $low, $high = (Get-Content /proc/sys/net/ipv4/ip_local_port_range) -split '\s+' | ForEach-Object { [int] $_ }
        $r.LocalPort | Should -BeGreaterOrEqual $low
        $r.LocalPort | Should -BeLessOrEqual $high
        $r.Attempts | Should -Be 1
        $r.Message | Should -BeNullOrEmpty
    }

    It 'reports Refused for a closed port, with a message, told apart from a timeout' {
        $r = Test-SockPort 127.0.0.1 $closed[0]
        $r.Status | Should -Be 'Refused'
        $r.Succeeded | Should -BeFalse
        $r.Latency | Should -Not -BeNullOrEmpty
        $r.LocalPort | Should -BeNullOrEmpty
        $r.Message | Should -Match "Connection refused by 127\.0\.0\.1:$($closed[0])"
    }

    It 'reports TimedOut for a port that never answers, after about the timeout' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $r = Test-SockPort 127.0.0.1 $silent -TimeoutSeconds 0.5
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.45
        $r.Status | Should -Be 'TimedOut'
        $r.Latency | Should -BeNullOrEmpty
        $r.Message | Should -Match 'within 0\.5 s'
    }

    It 'tests IPv6 given as <Name>' -ForEach @(
        @{ Name = '::1'; Port = $null }
        @{ Name = '[::1]'; Port = $null }
        @{ Name = '[::1]:PORT'; Port = 'inline' }
    ) {
        $r = if ($Port) { Test-SockPort ($Name -replace 'PORT', $open6) } else { Test-SockPort $Name $open6 }
        $r.ComputerName | Should -Be '::1'
        $r.RemoteAddress | Should -Be '::1'
        $r.Status | Should -Be 'Open'
        $r.LocalAddress | Should -Be '::1'
    }

    It 'finds a server listening on only <Family> behind localhost' -ForEach @(
        @{ Family = 'IPv4'; Address = '127.0.0.1'; Other = '::1' }
        @{ Family = 'IPv6'; Address = '::1'; Other = '127.0.0.1' }
    ) {
        $resolved = @([Net.Dns]::GetHostAddresses('localhost') | ForEach-Object { "$_" })
        if ($resolved -notcontains $Address) {
            Set-ItResult -Skipped -Because "localhost resolves to $($resolved -join ', ') here (the namespace tests cover both families)"
            return
        }
        $port = Get-FreePort
        $peer = Start-SockPeer
        $blocker = New-BoundSocket $Other $port
        try {
            $null = $peer.Send("listen $Address $port")
            $r = Test-SockPort localhost $port
            $r.Status | Should -Be 'Open'
            $r.ComputerName | Should -Be 'localhost'
            $r.RemoteAddress | Should -Be $Address
        }
        finally { $peer.Kill(); $blocker.Dispose() }
    }

    It 'gives one result per resolved address with -PerAddress' {
        $addresses = @([Net.Dns]::GetHostAddresses('localhost'))
        $r = Test-SockPort localhost $open4 -PerAddress
        $r | Should -HaveCount $addresses.Count
        ($r | Where-Object RemoteAddress -eq '127.0.0.1').Status | Should -Be 'Open'
    }
}

Describe 'Test-SockPort targets and pipeline' {
    It 'tests every name on every port' {
        $r = Test-SockPort 127.0.0.1, '::1' $open4, $open6
        $r | Should -HaveCount 4
        ($r | Where-Object { $_.Status -eq 'Open' } | ForEach-Object { "$($_.ComputerName) $($_.Port)" } | Sort-Object) |
            Should -Be (@("127.0.0.1 $open4", "::1 $open6") | Sort-Object)
    }

    It 'takes the port from the name: host:port and [v6]:port' {
        $r = Test-SockPort "127.0.0.1:$open4", "[::1]:$open6", "localhost:$open4"
        $r | Should -HaveCount 3
        $r.Status | Sort-Object -Unique | Should -Be 'Open'
        Compare-Object $r.ComputerName @('127.0.0.1', '::1', 'localhost') | Should -BeNullOrEmpty
    }

    It 'writes SockTools.PortMissing for a name without any port, and tests the rest' {
        $r = Test-SockPort 'db01', "127.0.0.1:$open4" -ErrorVariable err -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Open'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.PortMissing,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be 'db01'
    }

    It 'takes names from the pipeline' {
        # Results stream out as they finish, so they are matched by name, not by position.
        $r = '127.0.0.1', '::1' | Test-SockPort -Port $open4
        ($r | Where-Object ComputerName -eq '127.0.0.1').Status | Should -Be 'Open'
        ($r | Where-Object ComputerName -eq '::1').Status | Should -Be 'Refused'
    }

    It 'takes CSV inventories with <Columns> columns' -ForEach @(
        @{ Columns = 'ComputerName,Port' }
        @{ Columns = 'HostName,TcpPort' }
        @{ Columns = 'TargetName,RemotePort' }
        @{ Columns = 'RemoteAddress,Port' }
    ) {
        $csv = @($Columns, "127.0.0.1,$open4", "::1,$open6", "127.0.0.1,$($closed[1])") | ConvertFrom-Csv
        $r = $csv | Test-SockPort | Sort-Object Port
        $r | Should -HaveCount 3
        ($r | Where-Object Port -eq $open4).Status | Should -Be 'Open'
        ($r | Where-Object Port -eq $open6).Status | Should -Be 'Open'
        ($r | Where-Object Port -eq $closed[1]).Status | Should -Be 'Refused'
        ($r | Where-Object Port -eq $open6).ComputerName | Should -Be '::1'
    }

    It 'tests the listeners piped from Get-SockListener, and says it skipped UDP' {
        $r = Get-SockListener -ProcessId $server.Id | Test-SockPort -WarningVariable warn
        $r | Should -HaveCount 2
        $r.Status | Sort-Object -Unique | Should -Be 'Open'
        ($r.Port | Sort-Object) | Should -Be (@($open4, $open6) | Sort-Object)
        "$warn" | Should -Match 'Skipped 1 socket.*UDP'
    }

    It 'tests the peers of connections piped from Get-SockConnection' {
        $client = Start-SockPeer
        try {
            $null = $client.Send("connect 127.0.0.1 $open4")
            $r = Get-SockConnection -ProcessId $client.Id -State Established | Test-SockPort
            $r.ComputerName | Should -Be '127.0.0.1'
            $r.Port | Should -Be $open4
            $r.Status | Should -Be 'Open'
        }
        finally { $client.Kill() }
    }

    It 'answers only $true or $false with -Quiet' {
        Test-SockPort 127.0.0.1, '::1' "$open4" -Quiet | Should -BeFalse
        $yes = Test-SockPort "127.0.0.1:$open4", "[::1]:$open6" -Quiet
        $yes | Should -BeOfType [bool]
        $yes | Should -BeTrue
    }
}

Describe 'Test-SockPort -Wait' {
    It 'finds a listener that appears after 2 s' {
        $port = Get-FreePort
        $late = Start-ScriptedPeer "sleep 2; echo listen 127.0.0.1 $port; sleep 60"
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $r = Test-SockPort 127.0.0.1 $port -Wait -IntervalSeconds 0.2 -ErrorVariable err
            $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 1.5
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 25
            $r.Status | Should -Be 'Open'
            $r.Attempts | Should -BeGreaterThan 1
            $err | Should -BeNullOrEmpty
        }
        finally { $late.Kill($true) }
    }

    It 'fails a pwsh -c command with a non-zero exit code after about the timeout' {
        $child = Start-Pwsh "Test-SockPort 127.0.0.1 $($closed[2]) -Wait -TimeoutSeconds 2 -ErrorAction Stop; 'not reached'"
        $child.ExitCode | Should -Not -Be 0
        $child.Output | Should -Not -Contain 'not reached'
        ($child.Output -join ' ') | Should -Match "127\.0\.0\.1:$($closed[2]) did not open within 2 s"
        $child.Seconds | Should -BeGreaterOrEqual 2
        $child.Seconds | Should -BeLessThan 20
    }

    It 'writes error SockTools.PortWaitTimeout and the last result when the port never opens' {
        $r = Test-SockPort 127.0.0.1 $closed[3] -Wait -TimeoutSeconds 1 -IntervalSeconds 0.2 -ErrorVariable err -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Refused'
        $r.Attempts | Should -BeGreaterThan 2
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.PortWaitTimeout,*'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err[0].TargetObject | Should -Be "127.0.0.1:$($closed[3])"
        $err[0].Exception | Should -BeOfType [TimeoutException]
        { Test-SockPort 127.0.0.1 $closed[3] -Wait -TimeoutSeconds 0.3 -ErrorAction Stop } | Should -Throw -ErrorId 'SockTools.PortWaitTimeout,*'
    }

    It 'waits until a port closes with -Until Closed' {
        $port = Get-FreePort
        $leaving = Start-ScriptedPeer "echo listen 127.0.0.1 $port; sleep 2"
        try {
            Wait-Until { Get-SockListener -Port $port } -Because "the listener on $port"
            $r = Test-SockPort 127.0.0.1 $port -Until Closed -TimeoutSeconds 20 -IntervalSeconds 0.2 -ErrorVariable err
            $r.Status | Should -Be 'Refused'
            $r.Attempts | Should -BeGreaterThan 1
            $err | Should -BeNullOrEmpty
        }
        finally { $leaving.Kill($true) }
    }

    It 'fails -Until Closed when the port stays open' {
        $null = Test-SockPort 127.0.0.1 $open4 -Wait -Until Closed -TimeoutSeconds 0.5 -IntervalSeconds 0.1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.PortWaitTimeout,*'
        $err[0].Exception.Message | Should -Match 'did not close within 0\.5 s'
    }

    It 'answers $false with -Quiet instead of an error' {
        Test-SockPort 127.0.0.1 $closed[4] -Wait -TimeoutSeconds 0.3 -Quiet -ErrorVariable err | Should -BeFalse
        $err | Should -BeNullOrEmpty
        Test-SockPort 127.0.0.1 $open4 -Wait -Quiet | Should -BeTrue
    }

    It 'shows progress and -Verbose lines while waiting' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$modulePath'; Test-SockPort 127.0.0.1 $($closed[5]) -Wait -TimeoutSeconds 1 -IntervalSeconds 0.3 -Verbose")
            $null = $ps.Invoke()
            $ps.Streams.Progress.Activity | Should -Contain "Waiting for 127.0.0.1:$($closed[5]) to open"
            @($ps.Streams.Verbose.Message) -match "^127\.0\.0\.1:$($closed[5]): try 1 Refused" | Should -Not -BeNullOrEmpty
            $ps.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.PortWaitTimeout,*'
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Test-SockPort at scale' {
    It 'answers 1,000 closed loopback ports far faster than 1,000 x the single latency' {
        # The single latency: what one Test-SockPort call for one port costs a script looping over
        # ports. A loopback refusal comes back inside the connect call, so this ratio is bound by
        # CPU; the silent-port test below is the one where concurrency overlaps real waiting.
        $null = Test-SockPort 127.0.0.1 $closed[0..9]
        $single = (Measure-Command { foreach ($port in $closed[1000..1099]) { $null = Test-SockPort 127.0.0.1 $port } }).TotalMilliseconds / 100
        # Best of three, so one garbage collection or a busy neighbour does not decide the test.
        $many = (1..3 | ForEach-Object { (Measure-Command { $script:batch = Test-SockPort 127.0.0.1 $closed[0..999] }).TotalMilliseconds } | Measure-Object -Minimum).Minimum
        $script:batch | Should -HaveCount 1000
        $script:batch.Status | Sort-Object -Unique | Should -Be 'Refused'
        $many | Should -BeLessThan (1000 * $single / 2) -Because ('one port alone takes {0:0.###} ms' -f $single)
    }

    It 'tests silent ports in parallel: 200 x 0.3 s timeouts in far less than 60 s' {
        $many = Measure-Command { $script:batch = Test-SockPort 127.0.0.1 (@($silent) * 200) -TimeoutSeconds 0.3 }
        $script:batch | Should -HaveCount 200
        $script:batch.Status | Sort-Object -Unique | Should -Be 'TimedOut'
        # One after another this would take 60 s; 256 at a time, about one 0.3 s timeout.
        $many.TotalSeconds | Should -BeLessThan (200 * 0.3 / 5)
    }

    It 'leaves no socket open after 5,000 tests of every kind' {
        $leakPeer = Start-SockPeer
        try {
            $busy = [int] $leakPeer.Send('listen 127.0.0.1 0 2048')[1]
            # Warm up every path first: the runtime opens its own descriptors (epoll, pipes) once.
            # (Names that fail to resolve are tested for leaks in the namespace below.)
            $null = Test-SockPort 127.0.0.1, '::1', 'localhost' $busy, $closed[0]
            $null = Test-SockPort 127.0.0.1 $silent -TimeoutSeconds 0.1
            $before = Get-OpenFdCount

            $results = @(
                Test-SockPort 127.0.0.1 (@($busy) * 1000)
                Test-SockPort 127.0.0.1, '::1' $closed[0..1799]
                Test-SockPort 127.0.0.1 (@($silent) * 200) -TimeoutSeconds 0.2
                Test-SockPort localhost $closed[1800..1999]
            )
            $results | Should -HaveCount 5000
            # (On ::1 the held ports are not reserved, so one may happen to be open there.)
            @($results | Where-Object { $_.Port -eq $busy -and $_.Status -eq 'Open' }).Count | Should -Be 1000
            @($results | Where-Object Status -eq 'TimedOut').Count | Should -Be 200
            # (localhost may have ::1 as well, where the held ports are not reserved.)
            @($results | Where-Object ComputerName -eq 'localhost' | Where-Object Status -in 'Refused', 'Open').Count | Should -Be 200

            Wait-Until { (Get-OpenFdCount) -le $before } -TimeoutSeconds 5 -Because "the descriptor count to return to $before"
            Get-OpenFdCount | Should -BeLessOrEqual $before
        }
        finally { $leakPeer.Kill() }
    }

    It 'stops promptly on Ctrl+C and closes every socket' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$modulePath'; Test-SockPort 127.0.0.1 -Port $silent -TimeoutSeconds 1").Invoke()
            $ps.Commands.Clear()
            $before = Get-OpenFdCount
            $null = $ps.AddCommand('Test-SockPort').AddParameter('ComputerName', '127.0.0.1').AddParameter('Port', (@($silent) * 500)).AddParameter('TimeoutSeconds', 60)
            $handle = $ps.BeginInvoke()
            Wait-Until { @(Get-SockConnection -ProcessId $PID -State SynSent -RemotePort $silent).Count -ge 32 } -Because 'connects in flight'

            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $handle.IsCompleted | Should -BeTrue

            Wait-Until { @(Get-SockConnection -ProcessId $PID -State SynSent -RemotePort $silent).Count -eq 0 } -Because 'every connect to be closed'
            Wait-Until { (Get-OpenFdCount) -le $before } -TimeoutSeconds 5 -Because "the descriptor count to return to $before"
        }
        finally { $ps.Dispose() }
    }

    It 'stops a -Wait promptly on Ctrl+C' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$modulePath'; Test-SockPort 127.0.0.1 $($closed[6]) -Wait -TimeoutSeconds 120 -IntervalSeconds 30")
            $handle = $ps.BeginInvoke()
            Start-Sleep -Seconds 1
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $handle.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Test-SockPort output' {
    It 'uses the table view: ComputerName, RemoteAddress, Port, Status, Latency' {
        $text = Test-SockPort localhost $open4 | Out-String -Width 200
        $text | Should -Match 'ComputerName\s+RemoteAddress\s+Port\s+Status\s+Latency \(ms\)'
        $text | Should -Match "localhost\s+127\.0\.0\.1\s+$open4\s+Open\s+\d+\.\d{3}"
    }

    It 'looks the same after a trip through CLIXML (remoting, jobs)' {
        $back = Test-SockPort 127.0.0.1 $open4 | ConvertTo-CliXml -Depth 2 | ConvertFrom-CliXml
        $back.PSObject.TypeNames | Should -Contain 'Deserialized.SockTools.PortTestResult'
        ($back | Out-String -Width 200) | Should -Match 'ComputerName\s+RemoteAddress\s+Port\s+Status\s+Latency \(ms\)'
    }

    It 'exports one CSV column per property with Status as its name' {
        $csv = Test-SockPort 127.0.0.1 $closed[7] | ConvertTo-Csv | ConvertFrom-Csv
        $csv.Status | Should -Be 'Refused'
        $csv.Port | Should -Be "$($closed[7])"
        $csv.Succeeded | Should -Be 'False'
    }

    It 'reads as one line in strings' {
        "$(Test-SockPort localhost $open4)" | Should -Match "^localhost:$open4 -> 127\.0\.0\.1 Open [\d.]+ ms$"
    }

    It 'declares its output types' {
        (Get-Command Test-SockPort).OutputType.Name | Should -Contain 'SockTools.PortTestResult'
    }
}

Describe 'Test-SockPort input errors' {
    It 'rejects port <Port> naming the value and the valid range' -ForEach @(@{ Port = 0 }, @{ Port = 70000 }, @{ Port = -1 }) {
        $e = { Test-SockPort 127.0.0.1 $Port -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -BeLike "*$Port is not a valid port: a TCP port is 1 to 65535*"
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*TestSockPortCommand'
    }

    It 'rejects <Name> naming it and the valid forms' -ForEach @(
        @{ Name = ''; Why = "The computer name '' is empty" }
        @{ Name = ' '; Why = "The computer name ' ' is empty" }
        @{ Name = 'db:0'; Why = "'db:0': 0 is not a valid port: a TCP port is 1 to 65535" }
        @{ Name = 'http://db:80'; Why = "'http://db:80' is a URL" }
        @{ Name = '[db]:80'; Why = "brackets hold an IPv6 address" }
    ) {
        $e = { Test-SockPort $Name 80 -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -BeLike "*$([WildcardPattern]::Escape($Why))*"
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'rejects a bad name from the pipeline without stopping the good ones' {
        $r = '', "127.0.0.1:$open4" | Test-SockPort -ErrorVariable err -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Open'
        $err | Should -HaveCount 1
        $err[0].Exception.Message | Should -Match 'is empty'
    }

    It 'rejects a timeout of 0' {
        { Test-SockPort 127.0.0.1 $open4 -TimeoutSeconds 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}

Describe 'Test-SockPort in a network namespace of its own' {
    # Root only: creates a namespace with only lo, an nftables rule dropping SYNs to one port, a
    # hosts file (ip netns exec mounts /etc/netns/<name>/hosts over /etc/hosts) where localhost and
    # dual.socktools.test have both ::1 and 127.0.0.1, and a resolv.conf whose name server is the
    # namespace's own loopback, where nothing answers: a name that must not resolve is refused there
    # at once, and no query can leave (there is no route out). Everything is removed afterwards,
    # whether the tests pass or not.
    BeforeAll {
        $skipReason = if (-not (Test-IsRoot)) { 'needs root to create a network namespace and nftables rules' }
        elseif (-not (Get-Command nft -ErrorAction SilentlyContinue)) { 'needs nftables (nft); .ci/run installs it' }
        elseif (-not (Get-Command ip -ErrorAction SilentlyContinue)) { 'needs iproute2 (ip)' }
        if ($skipReason) { return }

        $ns = "socktools-probe-$PID"
        $dropped = 7001
        $dropped6 = 7002
        $hadNetnsDir = Test-Path /etc/netns
        & ip netns add $ns
        & ip -n $ns link set lo up
        New-Item -ItemType Directory -Force "/etc/netns/$ns" | Out-Null
        Set-Content "/etc/netns/$ns/hosts" "::1 localhost dual.socktools.test`n127.0.0.1 localhost dual.socktools.test"
        Set-Content "/etc/netns/$ns/resolv.conf" "nameserver 127.0.0.1`noptions timeout:1 attempts:1"
        $rules = @(
            "add table inet socktools_test"
            "add chain inet socktools_test input { type filter hook input priority 0; policy accept; }"
            "add rule inet socktools_test input tcp dport $dropped tcp flags & (syn | ack) == syn drop"
            "add rule inet socktools_test input ip6 daddr ::1 tcp dport $dropped6 tcp flags & (syn | ack) == syn drop"
        )
        $rules | & ip netns exec $ns nft -f -
        if ($LASTEXITCODE -ne 0) { throw "nft failed in namespace $ns" }

        function Invoke-InNamespace([string] $Command) {
            $child = Start-Pwsh "$Command | ConvertTo-Json -Depth 3 -EnumsAsStrings -Compress" -Namespace $ns
            if ($child.ExitCode -ne 0) { throw "child pwsh failed: $($child.Output -join "`n")" }
            $child.Output -join '' | ConvertFrom-Json
        }
    }

    AfterAll {
        if ($skipReason) { return }
        & ip netns del $ns
        Remove-Item "/etc/netns/$ns" -Recurse -Force -ErrorAction SilentlyContinue
        if (-not $hadNetnsDir) { Remove-Item /etc/netns -Force -ErrorAction SilentlyContinue }
    }

    It 'has the firewall rule in place (nft list)' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        (& ip netns exec $ns nft list ruleset) -join "`n" | Should -Match "tcp dport $dropped"
    }

    It 'reports TimedOut where SYNs are dropped and Refused next door, after about the timeout' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $r = Invoke-InNamespace @"
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$r = Test-SockPort 127.0.0.1 $dropped, 7003 -TimeoutSeconds 1
[pscustomobject]@{ Results = `$r; Seconds = `$clock.Elapsed.TotalSeconds }
"@
        $byPort = @{}; $r.Results | ForEach-Object { $byPort[[int] $_.Port] = $_ }
        $byPort[$dropped].Status | Should -Be 'TimedOut'
        $byPort[$dropped].Latency | Should -BeNullOrEmpty
        $byPort[7003].Status | Should -Be 'Refused'
        $r.Seconds | Should -BeGreaterOrEqual 0.95
        $r.Seconds | Should -BeLessThan 4
    }

    It 'finds a server on only <Family> behind a dual-stack localhost' -ForEach @(
        @{ Family = 'IPv4'; Address = '127.0.0.1' }
        @{ Family = 'IPv6'; Address = '::1' }
    ) {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $r = Invoke-InNamespace @"
`$l = [System.Net.Sockets.TcpListener]::new([ipaddress]::Parse('$Address'), 7100); `$l.Start()
[pscustomobject]@{ One = Test-SockPort localhost 7100; Each = @(Test-SockPort localhost 7100 -PerAddress) }
"@
        $r.One.Status | Should -Be 'Open'
        $r.One.RemoteAddress | Should -Be $Address
        $r.Each | Should -HaveCount 2
        ($r.Each | Where-Object RemoteAddress -eq $Address).Status | Should -Be 'Open'
        ($r.Each | Where-Object RemoteAddress -ne $Address).Status | Should -Be 'Refused'
    }

    It 'connects over IPv4 without waiting for the timeout when IPv6 is silent (Happy Eyeballs)' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $r = Invoke-InNamespace @"
`$l = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, $dropped6); `$l.Start()
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$r = Test-SockPort dual.socktools.test $dropped6 -TimeoutSeconds 10
[pscustomobject]@{ Result = `$r; Seconds = `$clock.Elapsed.TotalSeconds }
"@
        $r.Result.Status | Should -Be 'Open'
        $r.Result.RemoteAddress | Should -Be '127.0.0.1'
        $r.Seconds | Should -BeLessThan 5
    }

    It 'resolves names with its own resolver only (the test itself)' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        (& ip netns exec $ns cat /etc/resolv.conf) -join "`n" | Should -Match '^nameserver 127\.0\.0\.1'
        (& ip -n $ns -o link show) -join "`n" | Should -Not -Match '(?m)^\d+: (?!lo:)' -Because 'only lo: no route out'
    }

    It 'reports NameResolutionFailed for a name that does not resolve, within the timeout, and goes on with the others' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $r = Invoke-InNamespace @"
`$l = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 7200); `$l.Start()
`$clock = [Diagnostics.Stopwatch]::StartNew()
`$r = Test-SockPort 'no-such-host.invalid', '127.0.0.1' 7200 -TimeoutSeconds 3 -ErrorVariable err
[pscustomobject]@{ Results = `$r; Errors = @(`$err).Count; Seconds = `$clock.Elapsed.TotalSeconds }
"@
        $r.Seconds | Should -BeLessThan 5
        $r.Errors | Should -Be 0
        $r.Results | Should -HaveCount 2
        $bad = $r.Results | Where-Object ComputerName -eq 'no-such-host.invalid'
        $good = $r.Results | Where-Object ComputerName -eq '127.0.0.1'
        $bad.Status | Should -Be 'NameResolutionFailed'
        $bad.RemoteAddress | Should -BeNullOrEmpty
        $bad.Message | Should -Match "'no-such-host\.invalid' could not be resolved"
        $good.Status | Should -Be 'Open'
    }

    It 'answers $false with -Quiet for a name that does not resolve' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        Invoke-InNamespace "Test-SockPort 'no-such-host.invalid' 80 -Quiet" | Should -BeFalse
    }

    It 'leaves no descriptor open after 200 names that do not resolve' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $r = Invoke-InNamespace @"
`$null = Test-SockPort 'warm-up.invalid', 'localhost' 7201 -TimeoutSeconds 3
`$before = @(Get-ChildItem /proc/self/fd).Count
`$results = Test-SockPort (1..200 | ForEach-Object { "leak-`$_.invalid" }) 7201 -TimeoutSeconds 3
`$deadline = [DateTime]::UtcNow.AddSeconds(5)
while (@(Get-ChildItem /proc/self/fd).Count -gt `$before -and [DateTime]::UtcNow -lt `$deadline) { Start-Sleep -Milliseconds 50 }
[pscustomobject]@{ Failed = @(`$results | Where-Object Status -eq 'NameResolutionFailed').Count; Before = `$before; After = @(Get-ChildItem /proc/self/fd).Count }
"@
        $r.Failed | Should -Be 200
        $r.After | Should -BeLessOrEqual $r.Before
    }
}
