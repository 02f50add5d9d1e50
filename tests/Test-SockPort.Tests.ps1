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

    function Start-PwshWithInput([string] $Command, [string] $InputText) {
        # A child pwsh that may prompt (no -NonInteractive), with its stdin fed from $InputText.
        $exe = [Environment]::ProcessPath
        $info = [Diagnostics.ProcessStartInfo]::new($exe)
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $info.ArgumentList.Add([Reflection.Assembly]::GetEntryAssembly().Location) }
        foreach ($argument in '-NoProfile', '-Command', "Import-Module '$modulePath'; $Command") { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardInput = $info.RedirectStandardOutput = $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $child = [Diagnostics.Process]::Start($info)
        $stdout = $child.StandardOutput.ReadToEndAsync()
        $stderr = $child.StandardError.ReadToEndAsync()
        $child.StandardInput.Write($InputText)
        $child.StandardInput.Close()
        if (-not $child.WaitForExit(60000)) { $child.Kill($true); throw "child pwsh did not end: $Command" }
        [pscustomobject]@{ Output = @(($stdout.Result + $stderr.Result) -split '\r?\n'); ExitCode = $child.ExitCode }
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
        $r.LatencyMs | Should -BeGreaterThan 0
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
        $r.LatencyMs | Should -Not -BeNullOrEmpty
        $r.LocalPort | Should -BeNullOrEmpty
        $r.Message | Should -Match "Connection refused by 127\.0\.0\.1:$($closed[0])"
    }

    It 'reports TimedOut for a port that never answers, after about the timeout' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $r = Test-SockPort 127.0.0.1 $silent -TimeoutSeconds 0.5
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.45
        $r.Status | Should -Be 'TimedOut'
        $r.LatencyMs | Should -BeNullOrEmpty
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
    It 'uses the table view: ComputerName, RemoteAddress, Port, Status, LatencyMs' {
        $text = Test-SockPort localhost $open4 | Out-String -Width 200
        $text | Should -Match 'ComputerName\s+RemoteAddress\s+Port\s+Status\s+LatencyMs'
        $text | Should -Match "localhost\s+127\.0\.0\.1\s+$open4\s+Open\s+\d+\.\d{3}"
    }

    It 'looks the same after a trip through CLIXML (remoting, jobs)' {
        $back = Test-SockPort 127.0.0.1 $open4 | ConvertTo-CliXml -Depth 2 | ConvertFrom-CliXml
        $back.PSObject.TypeNames | Should -Contain 'Deserialized.SockTools.PortTestResult'
        ($back | Out-String -Width 200) | Should -Match 'ComputerName\s+Port\s+Status\s+LatencyMs'
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

Describe 'Test-SockPort without arguments' {
    It 'prompts for ComputerName like any mandatory parameter, and tests the answer' {
        $child = Start-PwshWithInput "Test-SockPort | ForEach-Object { 'RESULT ' + `$_.ComputerName + ' ' + `$_.Port + ' ' + `$_.Status }" "127.0.0.1:$open4`n`n"
        $text = $child.Output -join "`n"
        $text | Should -Match 'Supply values for the following parameters'
        $text | Should -Match 'ComputerName\[0\]'
        $child.Output | Should -Contain "RESULT 127.0.0.1 $open4 Open"
        $text | Should -Not -Match 'Parameter set cannot be resolved'
    }

    It 'says that ComputerName is missing under pwsh -NonInteractive' {
        $child = Start-Pwsh 'Test-SockPort'
        $child.ExitCode | Should -Not -Be 0
        ($child.Output -join ' ') | Should -Match 'missing mandatory parameters: ComputerName'
        ($child.Output -join ' ') | Should -Not -Match 'Parameter set cannot be resolved'
    }

    It 'still binds a piped socket to -InputObject, not its RemoteAddress and RemotePort by name' {
        # By name, a listener would give 0.0.0.0 and port 0 (a binding error); as a socket it is tested on its own address.
        $peer = Start-SockPeer
        try {
            $port = [int] $peer.Send('listen 127.0.0.1 0')[1]
            $r = Get-SockListener -ProcessId $peer.Id | Test-SockPort -ErrorVariable err
            $err | Should -BeNullOrEmpty
            $r.ComputerName | Should -Be '127.0.0.1'
            $r.Port | Should -Be $port
            $r.Status | Should -Be 'Open'
            # An object holding sockets in its InputObject property (Compare-Object output) binds too.
            $wrapped = [pscustomobject]@{ InputObject = @(Get-SockListener -ProcessId $peer.Id) } | Test-SockPort
            $wrapped.Port | Should -Be $port
        }
        finally { $peer.Kill() }
    }
}

Describe 'Test-SockPort result order' {
    It 'writes results in the order the ports were given, while testing them in parallel' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $r = Test-SockPort 127.0.0.1 $silent, $open4, $closed[8], $silent -TimeoutSeconds 1
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 1.8 -Because 'the two silent ports wait at the same time, not one after the other'
        $r.Port | Should -Be @($silent, $open4, $closed[8], $silent)
        $r.Status | Should -Be @('TimedOut', 'Open', 'Refused', 'TimedOut')
    }

    It 'writes results in the order the names were given, each name on each port in order' {
        $r = Test-SockPort 'localhost', '127.0.0.1', '::1' $open4, $open6
        $r | ForEach-Object { "$($_.ComputerName) $($_.Port)" } |
            Should -Be @("localhost $open4", "localhost $open6", "127.0.0.1 $open4", "127.0.0.1 $open6", "::1 $open4", "::1 $open6")
    }

    It 'keeps piped input in order, with the error for a name without a port in its place' {
        $records = @("127.0.0.1:$silent", 'db01', "127.0.0.1:$open4" | Test-SockPort -TimeoutSeconds 0.5 -ErrorAction Continue 2>&1)
        $records | Should -HaveCount 3
        $records[0].Port | Should -Be $silent
        $records[0].Status | Should -Be 'TimedOut'
        $records[1] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        $records[1].FullyQualifiedErrorId | Should -BeLike 'SockTools.PortMissing,*'
        $records[2].Port | Should -Be $open4
    }

    It 'keeps the order with -Wait: a port that opens late comes before one open from the start' {
        $port = Get-FreePort
        $late = Start-ScriptedPeer "sleep 1.5; echo listen 127.0.0.1 $port; sleep 60"
        try {
            $r = Test-SockPort "127.0.0.1:$port", "127.0.0.1:$open4" -Wait -TimeoutSeconds 20 -IntervalSeconds 0.2
            $r.Port | Should -Be @($port, $open4)
            $r.Status | Should -Be @('Open', 'Open')
            $r[0].Attempts | Should -BeGreaterThan 1
            $r[1].Attempts | Should -Be 1
        }
        finally { $late.Kill($true) }
    }

    It 'does not read far ahead of the network while an early target holds the output back' {
        # -ThrottleLimit 2: input waits once 8 targets are started and unwritten. The first is silent for
        # 1 s; the refusals behind it finish at once and are held for their turn, and they count too.
        $script:read = 0
        $script:readAtFirst = $null
        $targets = @("127.0.0.1:$silent") + @($closed[10..59] | ForEach-Object { "127.0.0.1:$_" })
        $r = $targets | ForEach-Object { $script:read++; $_ } | Test-SockPort -ThrottleLimit 2 -TimeoutSeconds 1 |
            ForEach-Object { if ($null -eq $script:readAtFirst) { $script:readAtFirst = $script:read }; $_ }
        $r | Should -HaveCount 51
        $r[0].Status | Should -Be 'TimedOut'
        ($r | Select-Object -Skip 1).Status | Sort-Object -Unique | Should -Be 'Refused'
        $script:readAtFirst | Should -BeLessOrEqual 10 -Because 'at most 4 x ThrottleLimit targets may wait unwritten'
    }
}

Describe 'Test-SockPort -Wait -TimeoutSeconds 0' {
    It 'waits without a time limit until the port opens' {
        $port = Get-FreePort
        $late = Start-ScriptedPeer "sleep 2; echo listen 127.0.0.1 $port; sleep 60"
        try {
            $r = Test-SockPort 127.0.0.1 $port -Wait -TimeoutSeconds 0 -IntervalSeconds 0.2 -ErrorVariable err
            $r.Status | Should -Be 'Open'
            $r.Attempts | Should -BeGreaterThan 1
            $err | Should -BeNullOrEmpty
        }
        finally { $late.Kill($true) }
    }

    It 'keeps trying with no deadline, says so, and stops on Ctrl+C' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$modulePath'; Test-SockPort 127.0.0.1 $($closed[9]) -Wait -TimeoutSeconds 0 -IntervalSeconds 0.1 -Verbose")
            $handle = $ps.BeginInvoke()
            Wait-Until { @($ps.Streams.Verbose | Where-Object Message -match ': try 15 ').Count -gt 0 } -TimeoutSeconds 20 -Because '15 tries'
            $handle.IsCompleted | Should -BeFalse
            # (Counted, not enumerated: piping the error stream of a running pipeline can block.)
            $ps.Streams.Error.Count | Should -Be 0
            @($ps.Streams.Verbose.Message) -match "^127\.0\.0\.1:$($closed[9]): try 3 Refused via 127\.0\.0\.1 .*; no time limit\.$" | Should -Not -BeNullOrEmpty
            @($ps.Streams.Progress.StatusDescription) -match 'no time limit' | Should -Not -BeNullOrEmpty

            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            $handle.IsCompleted | Should -BeTrue
        }
        finally { $ps.Dispose() }
    }

    It 'is a binding error without -Wait, saying that only -Wait can go without a limit' {
        $e = { Test-SockPort 127.0.0.1 $open4 -TimeoutSeconds 0 -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*TestSockPortCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.TargetObject | Should -Be 0
        $e.Exception.Message | Should -Match "parameter 'TimeoutSeconds'\. 0 means no time limit, which only -Wait can use"
        $e.ErrorDetails.RecommendedAction | Should -Match '-Wait'
    }

    It 'still rejects <Value> seconds, naming the valid values' -ForEach @(@{ Value = 0.0001 }, @{ Value = -1 }, @{ Value = 86401 }) {
        $e = { Test-SockPort 127.0.0.1 $open4 -Wait -TimeoutSeconds $Value -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $e.Exception.Message | Should -Match "$([regex]::Escape("$Value")) is not a valid timeout: give 0\.001 to 86400 seconds, or 0 with -Wait"
    }
}

Describe 'Test-SockPort -Verbose' {
    It 'tells the connect path and why, what a name resolved to, and each try' {
        $ps = [powershell]::Create()
        try {
            $r = $ps.AddScript("Import-Module '$modulePath'; Test-SockPort localhost, 127.0.0.1 $open4 -Verbose").Invoke()
            $r | Should -HaveCount 2
            $lines = @($ps.Streams.Verbose.Message)
            $lines | Should -Contain "localhost:$($open4): connecting through the general path ('localhost' is a name to resolve)."
            $lines | Should -Contain "127.0.0.1:$($open4): connecting through the Linux poll() fast path (an IP address, tried once)."
            $addresses = @([Net.Dns]::GetHostAddresses('localhost') | ForEach-Object { [regex]::Escape("$_") })
            $lines -match "^localhost:$($open4): 'localhost' resolved to .*$($addresses[0]).* in [\d.]+ ms" | Should -Not -BeNullOrEmpty
            $lines -match "^localhost:$($open4): try 1 Open via 127\.0\.0\.1 in [\d.]+ ms\.$" | Should -Not -BeNullOrEmpty
            $lines -match "^127\.0\.0\.1:$($open4): try 1 Open via 127\.0\.0\.1 in [\d.]+ ms\.$" | Should -Not -BeNullOrEmpty
        }
        finally { $ps.Dispose() }
    }

    It 'tells every try of a wait, the last one at the deadline too' {
        $ps = [powershell]::Create()
        try {
            $r = $ps.AddScript("Import-Module '$modulePath'; Test-SockPort 127.0.0.1 $($closed[11]) -Wait -TimeoutSeconds 1 -IntervalSeconds 0.3 -Verbose -ErrorAction SilentlyContinue").Invoke()
            $lines = @($ps.Streams.Verbose.Message)
            $lines | Should -Contain "127.0.0.1:$($closed[11]): connecting through the general path (-Wait tries again)."
            $tries = @($lines | ForEach-Object { if ($_ -match "^127\.0\.0\.1:$($closed[11]): try (\d+) Refused via 127\.0\.0\.1") { [int] $Matches[1] } })
            $r.Attempts | Should -BeGreaterThan 2
            $tries | Should -Be @(1..$r.Attempts)
            $lines[-1] | Should -Match "try $($r.Attempts) Refused via 127\.0\.0\.1 .*; that was the last try: the 1 s are up\.$"
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Test-SockPort odd and hostile input' {
    It 'refuses <Label> at binding, saying why' -ForEach @(
        @{ Label = 'a NUL inside a name'; Name = "127.0.0.1`0garbage"; Why = "'127.0.0.1\u0000garbage' contains the control character U+0000 at position 10" }
        @{ Label = 'a line break inside a name'; Name = "db01`nother"; Why = 'contains the control character U+000A at position 5' }
        @{ Label = '300.1.1.1'; Name = '300.1.1.1'; Why = "'300.1.1.1' is not a valid IPv4 address: 300 is above 255" }
        @{ Label = 'a name of 261 characters'; Name = ('a' * 261); Why = 'is 261 characters long; a host name has at most 253' }
        @{ Label = 'a part of 64 characters'; Name = ('a' * 64) + '.test'; Why = 'has a part of 64 characters between dots' }
        @{ Label = 'an IPv6 zone naming no interface'; Name = 'fe80::1%nosuchif'; Why = "this computer has no network interface named 'nosuchif'" }
    ) {
        $e = { Test-SockPort $Name 80 -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.Exception.Message | Should -BeLike "*$([WildcardPattern]::Escape($Why))*"
        $e.Exception.Message | Should -Match ([regex]::Escape('[::1]:5432')) -Because 'the message shows the valid forms'
        $e.Exception.Message | Should -Not -Match "Parameter 'hostName'|Unknown socket error"
    }

    It 'lists the interfaces there are when a zone names none' {
        $e = { Test-SockPort 'fe80::1%nosuchif' 80 -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match 'the interfaces here are: .*\blo \(1\)'
    }

    It 'does not stop the good names of a pipeline for a bad one' {
        $r = "127.0.0.1`0x", '300.1.1.1', "127.0.0.1:$open4" | Test-SockPort -ErrorVariable err -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Open'
        $err | Should -HaveCount 2
        $err[0].Exception.Message | Should -Match 'control character'
        $err[1].Exception.Message | Should -Match '300 is above 255'
    }

    It 'names results exactly as given: <Name>' -ForEach @(
        @{ Name = '::ffff:127.0.0.1'; Shown = '::ffff:127.0.0.1'; Remote = '127.0.0.1'; Family = 4 }
        @{ Name = '[::ffff:127.0.0.1]'; Shown = '::ffff:127.0.0.1'; Remote = '127.0.0.1'; Family = 4 }
        @{ Name = '0:0::1'; Shown = '0:0::1'; Remote = '::1'; Family = 6 }
        @{ Name = '127.000.000.001'; Shown = '127.000.000.001'; Remote = '127.0.0.1'; Family = 4 }
    ) {
        $port = if ($Family -eq 4) { $open4 } else { $open6 }
        $r = Test-SockPort $Name $port
        $r.ComputerName | Should -Be $Shown
        $r.RemoteAddress | Should -Be $Remote
        $r.Status | Should -Be 'Open'
    }

    It 'says that ::1:443 is written [::1]:443 when no port is given' {
        $null = Test-SockPort '::1:443' -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.PortMissing,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].TargetObject | Should -Be '::1:443'
        $err[0].Exception.Message | Should -Be "No port to test on '::1:443': without brackets it is all one IPv6 address (::0.1.4.67), not an address and a port. An IPv6 address with a port is written [::1]:443."
        $err[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape('Write [::1]:443'))
        # A plain name without a port keeps the short message.
        $null = Test-SockPort 'db01' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Be "No port to test on 'db01'."
    }

    It 'binds a piped hashtable by its keys, as an object with those properties would bind' {
        $r = @{ ComputerName = '127.0.0.1'; Port = $open4 } | Test-SockPort -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $r.ComputerName | Should -Be '127.0.0.1'
        $r.Port | Should -Be $open4
        $r.Status | Should -Be 'Open'

        $r = [ordered]@{ HostName = '::1'; TcpPort = $open6, $open4 } | Test-SockPort
        $r | ForEach-Object { "$($_.ComputerName) $($_.Port)" } | Should -Be @("::1 $open6", "::1 $open4")
        ($r | Where-Object Port -eq $open6).Status | Should -Be 'Open'

        $r = @{ TargetName = '127.0.0.1' } | Test-SockPort -Port $open4
        $r.Status | Should -Be 'Open'
    }

    It 'binds hashtables given as -ComputerName too, next to plain names' {
        $r = Test-SockPort @{ ComputerName = '127.0.0.1'; Port = $open4 }, "[::1]:$open6"
        $r | ForEach-Object { "$($_.ComputerName) $($_.Port) $($_.Status)" } | Should -Be @("127.0.0.1 $open4 Open", "::1 $open6 Open")
    }

    It 'refuses a hashtable of another shape, saying which keys it needs, and goes on with the rest' {
        $r = @{ Host = '127.0.0.1'; Port = 80 }, "127.0.0.1:$open4" | Test-SockPort -ErrorVariable err -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'Open'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].Exception.Message | Should -Match 'none names a computer'
        $err[0].Exception.Message | Should -Match ([regex]::Escape("ComputerName (or TargetName, HostName, RemoteAddress) and optionally Port (or TcpPort, RemotePort), for example @{ ComputerName = 'db01'; Port = 5432 }"))
        $err[0].Exception.Message | Should -Not -Match 'System\.Collections\.Hashtable'
    }

    It 'refuses a hashtable that gives a port twice or a bad one' {
        { @{ ComputerName = "127.0.0.1:$open4"; Port = 80 } | Test-SockPort -ErrorAction Stop } | Should -Throw '*gives a port twice*'
        { @{ ComputerName = '127.0.0.1'; Port = 'http' } | Test-SockPort -ErrorAction Stop } | Should -Throw "*'http' is not a valid port*"
    }

    It 'still binds [pscustomobject] by property name' {
        $r = [pscustomobject]@{ ComputerName = '127.0.0.1'; Port = $open4 } | Test-SockPort
        $r.Status | Should -Be 'Open'
    }
}

Describe 'Test-SockPort explains why a port on this host is not open' {
    BeforeAll {
        $peer = Start-SockPeer
        function Get-Verbose([string] $Command) {
            # The result and the -Verbose lines of one call, made in a runspace of its own.
            $ps = [powershell]::Create()
            try {
                $result = $ps.AddScript("Import-Module '$modulePath'; $Command -Verbose").Invoke()
                [pscustomobject]@{ Result = $result; Verbose = @($ps.Streams.Verbose.Message); Errors = @($ps.Streams.Error) }
            }
            finally { $ps.Dispose() }
        }
        function Test-Free([int] $Port) { -not (Get-SockConnection -Protocol Tcp -LocalPort $Port -State Listen, Bound) }
    }
    AfterAll { $peer.Kill() }

    It 'reads nothing and explains nothing when the port is open' {
        $run = Get-Verbose "Test-SockPort 127.0.0.1 $open4"
        $run.Result.Status | Should -Be 'Open'
        $run.Result.Diagnosis | Should -BeNullOrEmpty
        $run.Result.Explanation | Should -BeNullOrEmpty
        $run.Verbose -match 'to explain why' | Should -BeNullOrEmpty -Because 'an open port costs no table read'
    }

    It 'reads nothing with -Quiet, which writes no result to explain' {
        $run = Get-Verbose "Test-SockPort 127.0.0.1 $($closed[14]) -Quiet"
        $run.Result | Should -Be $false
        $run.Verbose -match 'to explain why' | Should -BeNullOrEmpty
    }

    It 'reads the table for a port that is not open, and says so in -Verbose' {
        $run = Get-Verbose "Test-SockPort 127.0.0.1 $($closed[12])"
        $run.Result.Status | Should -Be 'Refused'
        $run.Verbose -match "^127\.0\.0\.1:$($closed[12]): not open; read this host's TCP listeners \(\d+\) in \d+ ms to explain why\.$" | Should -HaveCount 1
        $run.Verbose -match 'processes listening' | Should -BeNullOrEmpty -Because 'nothing listens on that port, so no process is looked up'
    }

    It 'says NotListening, naming a listener on a nearby port' {
        $listening = [int] $peer.Send('listen 127.0.0.1 0')[1]
        $near = @(($listening + 1)..($listening + 20) | Where-Object { Test-Free $_ } | Select-Object -First 1)
        if (-not $near) { Set-ItResult -Skipped -Because "no free port next to $listening"; return }
        $holder = New-BoundSocket 127.0.0.1 $near[0]
        try {
            $r = Test-SockPort 127.0.0.1 $near[0]
            $r.Status | Should -Be 'Refused'
            $r.Diagnosis | Should -Be 'NotListening'
            $r.Explanation | Should -Match "^Nothing listens on port $($near[0]), on any address of this host\. Nearby, (.*, )?127\.0\.0\.1:$listening(,| and| listens?:)"
        }
        finally { $holder.Dispose() }
    }

    It 'says ListeningOnOtherAddress, naming the listener and its process, for 127.0.0.2 when it listens on 127.0.0.1' {
        $port = [int] $peer.Send('listen 127.0.0.1 0')[1]
        $r = Test-SockPort 127.0.0.2 $port
        $r.Status | Should -Be 'Refused'
        $r.Diagnosis | Should -Be 'ListeningOnOtherAddress'
        $r.Explanation | Should -BeLike "Listening on 127.0.0.1:$port (SockPeer, pid $($peer.Id)) only; you dialled 127.0.0.2. *"
    }

    It 'says ListeningOnOtherFamily for <Dialled> when the server listens on <Bound> only' -ForEach @(
        @{ Bound = '::1'; Dialled = '127.0.0.1'; Said = ' (IPv6); you dialled 127.0.0.1 (IPv4)' }
        @{ Bound = '127.0.0.1'; Dialled = '::1'; Said = ' (IPv4); you dialled ::1 (IPv6)' }
        @{ Bound = '::'; Dialled = '127.0.0.1'; Said = ', and it is IPv6-only (IPV6_V6ONLY); you dialled 127.0.0.1 (IPv4)' }
    ) {
        $port = [int] $peer.Send("listen $Bound 0")[1] # SockPeer's IPv6 listeners are IPv6-only
        $other = if ($Dialled -eq '::1') { '::1' } else { '127.0.0.1' }
        $holder = try { New-BoundSocket $other $port } catch { $null } # nothing else may answer there
        if (-not $holder) { Set-ItResult -Skipped -Because "$other port $port is taken"; return }
        try {
            $r = Test-SockPort $Dialled $port
            $r.Status | Should -Be 'Refused'
            $r.Diagnosis | Should -Be 'ListeningOnOtherFamily'
            $listener = if ($Bound -like '*:*') { "[$Bound]:$port" } else { "${Bound}:$port" }
            $r.Explanation | Should -BeLike ([WildcardPattern]::Escape("Listening on $listener (SockPeer, pid $($peer.Id)) only$Said.") + ' *')
        }
        finally { $holder.Dispose() }
    }

    It 'does not claim IPv6-only when the reader cannot see it (/proc), and finds a dual-stack [::] open' {
        $v6only = [int] $peer.Send('listen :: 0')[1]
        $holder = try { New-BoundSocket 127.0.0.1 $v6only } catch { $null }
        if (-not $holder) { Set-ItResult -Skipped -Because "127.0.0.1 port $v6only is taken"; return }
        try {
            $env:SOCKTOOLS_READER = 'proc'
            $r = Test-SockPort 127.0.0.1 $v6only
        }
        finally { Remove-Item Env:SOCKTOOLS_READER; $holder.Dispose() }
        $r.Diagnosis | Should -Be 'ListeningOnOtherFamily'
        $r.Explanation | Should -Match 'unless it is IPv6-only \(IPV6_V6ONLY\), which this reader cannot see'
        $r.Explanation | Should -Not -Match 'and it is IPv6-only'

        $dual = [int] $peer.Send('dualstack 0')[1]
        $r = Test-SockPort 127.0.0.1 $dual
        $r.Status | Should -Be 'Open'
        $r.Diagnosis | Should -BeNullOrEmpty
    }

    It 'says BacklogFull for a listener with backlog 1 that never accepts, filled by two connections' {
        $full = [int] $peer.Send('listen 127.0.0.1 0 1')[1]
        $clients = Start-SockPeer
        try {
            $null = $clients.Send("connect 127.0.0.1 $full")
            $null = $clients.Send("connect 127.0.0.1 $full")
            (Get-SockListener -Port $full).ReceiveQueue | Should -Be 2
            $r = Test-SockPort 127.0.0.1 $full -TimeoutSeconds 0.5
            $r.Status | Should -Be 'TimedOut'
            $r.Diagnosis | Should -Be 'BacklogFull'
            $r.Explanation | Should -BeLike "127.0.0.1:$full (SockPeer, pid $($peer.Id)) listens but does not accept: 2 connections wait in its queue and its backlog allows 1, so the kernel drops new connection requests (SYNs)*"
        }
        finally { $clients.Kill() }
    }

    It 'explains the last try of a wait that ran out, in the error too' {
        $r = Test-SockPort 127.0.0.1 $closed[13] -Wait -TimeoutSeconds 0.5 -IntervalSeconds 0.1 -ErrorVariable err -ErrorAction SilentlyContinue
        $r.Diagnosis | Should -Be 'NotListening'
        $err[0].Exception.Message | Should -Match "did not open within 0\.5 s \(\d+ tries; last: Connection refused by 127\.0\.0\.1:$($closed[13]).*\)\. Nothing listens on port $($closed[13]), on any address of this host\."
    }

    It 'carries Diagnosis by name in JSON and CSV, and shows it in the list view, not the table' {
        $port = [int] $peer.Send('listen 127.0.0.1 0')[1]
        $r = Test-SockPort 127.0.0.2 $port
        ($r | ConvertTo-Json | ConvertFrom-Json).Diagnosis | Should -Be 'ListeningOnOtherAddress'
        ($r | ConvertTo-Csv | ConvertFrom-Csv).Explanation | Should -Be $r.Explanation
        ($r | Format-List | Out-String -Width 200) | Should -Match 'Diagnosis\s+: ListeningOnOtherAddress'
        ($r | Out-String -Width 200) | Should -Not -Match 'ListeningOnOtherAddress'
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($r))
        "$($back.Diagnosis)" | Should -Be 'ListeningOnOtherAddress'
        $back.Explanation | Should -Be $r.Explanation
    }
}

Describe 'Test-SockPort help online' {
    It 'opens its online page with Get-Help -Online, as the other cmdlets do, and links to about_SockTools' {
        # A stand-in for the browser: PowerShell opens the page with xdg-open, found on PATH.
        $bin = Join-Path $TestDrive 'bin'
        New-Item -ItemType Directory $bin -Force | Out-Null
        $opened = Join-Path $TestDrive 'opened.txt'
        Set-Content (Join-Path $bin 'xdg-open') "#!/bin/sh`necho `"`$1`" >> '$opened'"
        & chmod +x (Join-Path $bin 'xdg-open')
        $path = $env:PATH
        try {
            $env:PATH = "$($bin):$path"
            $child = Start-Pwsh 'Get-Help Test-SockPort -Online; Get-Help Get-SockListener -Online'
        }
        finally { $env:PATH = $path }
        $child.ExitCode | Should -Be 0 -Because ($child.Output -join "`n")
        Wait-Until { (Test-Path $opened) -and @(Get-Content $opened).Count -ge 2 } -Because 'both pages to be opened'
        @(Get-Content $opened | Sort-Object) | Should -Be @(
            'https://github.com/socktools/SockTools/blob/main/docs/en-US/Get-SockListener.md'
            'https://github.com/socktools/SockTools/blob/main/docs/en-US/Test-SockPort.md'
        )
        (Get-Help Test-SockPort).relatedLinks.navigationLink.linkText | Should -Contain 'about_SockTools'
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
        $byPort[$dropped].LatencyMs | Should -BeNullOrEmpty
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
        $bad, $good = $r.Results
        $bad.ComputerName | Should -Be 'no-such-host.invalid'
        $bad.Status | Should -Be 'NameResolutionFailed'
        $bad.RemoteAddress | Should -BeNullOrEmpty
        $bad.Message | Should -Match "'no-such-host\.invalid' could not be resolved"
        $good.ComputerName | Should -Be '127.0.0.1'
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

    It 'tests ::1:443 as the IPv6 address it is when -Port is given' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        # ::0.1.4.67 is no loopback address: only here, with no route out, is connecting to it harmless.
        $r = Invoke-InNamespace "Test-SockPort '::1:443' 7300 -TimeoutSeconds 1 -ErrorAction Stop"
        $r.ComputerName | Should -Be '::1:443'
        $r.RemoteAddress | Should -Be '::0.1.4.67'
        $r.Port | Should -Be 7300
        $r.Status | Should -Be 'Unreachable'
        $r.Diagnosis | Should -BeNullOrEmpty -Because 'another host, and a status that is no refusal or timeout'
    }

    It 'says Filtered where a firewall drops the SYNs to a listener with room, and NotListening (and the drop) where nothing listens' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $r = Invoke-InNamespace @"
`$l = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, $dropped); `$l.Start(16)
[pscustomobject]@{ Listening = Test-SockPort 127.0.0.1 $dropped -TimeoutSeconds 0.5; Nothing = Test-SockPort ::1 $dropped6 -TimeoutSeconds 0.5 }
"@
        $r.Listening.Status | Should -Be 'TimedOut'
        $r.Listening.Diagnosis | Should -Be 'Filtered'
        $r.Listening.Explanation | Should -Match "^Nothing answered although 127\.0\.0\.1:$dropped \(\S+, pid \d+\) listens with room in its queue \(0 of 16 waiting\): a firewall rule \(nftables, iptables\) drops the packets to this port\.$"
        $r.Nothing.Status | Should -Be 'TimedOut'
        $r.Nothing.Diagnosis | Should -Be 'NotListening'
        $r.Nothing.Explanation | Should -Match "^Nothing listens on port $dropped6, on any address of this host\. The connection went unanswered rather than refused, so a firewall rule drops packets to it as well\."
    }
}
