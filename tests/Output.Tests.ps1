# What a person sees and what an export carries, for every output type: default views at 80 and 100
# columns that never cut a value, headers that are properties, exports with each value once, every owner.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    # A listener, a connection to it from an IPv4 socket in another process, and one from a dual-stack (IPv6)
    # socket of this process, as .NET opens them, which shows the IPv4 peer as ::ffff:127.0.0.1.
    $server = Start-SockPeer
    $client = Start-SockPeer
    $listenerId, $port = $server.Send('listen 0.0.0.0 0')
    $port = [int] $port
    $null, $clientPort = $client.Send("connect 127.0.0.1 $port")
    $null = $server.Send("accept $listenerId")
    $mapped = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port)
    $mappedPort = $mapped.Client.LocalEndPoint.Port
    $null = $server.Send("accept $listenerId")

    # Rows of one view as text, and the header words of that view.
    function Get-Rows([object[]] $Objects, [int] $Width) { @(($Objects | Out-String -Width $Width) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ }) }
    function Get-Headers([object[]] $Objects) { @((Get-Rows $Objects 250)[0] -split '\s+' | Where-Object { $_ }) }

    # Every value this socket's row must show whole.
    function Get-Expected($Entry) {
        @($Entry.LocalEndpoint, $Entry.RemoteEndpoint, "$($Entry.ProcessId)", $Entry.ProcessName) | Where-Object { $_ -and $_ -ne '' }
    }
}

AfterAll {
    if ($mapped) { $mapped.Dispose() }
    foreach ($p in $server, $client) { if ($p) { $p.Kill() } }
}

Describe 'Default views never cut a value' {
    It 'Get-SockConnection at 80 columns shows IPv4 endpoints, pids and process names whole' {
        $entries = Get-SockConnection -Port $port -AddressFamily IPv4 -State Listen, Established
        $entries.Count | Should -BeGreaterOrEqual 3
        $text = ($entries | Out-String -Width 80)
        foreach ($e in $entries) { foreach ($value in Get-Expected $e) { $text | Should -Match ([regex]::Escape($value)) } }
        $text | Should -Match ([regex]::Escape("127.0.0.1:$clientPort"))
        $text | Should -Not -Match '…'
        (Get-Rows $entries 80) | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }

    It 'Get-SockConnection at 100 columns shows IPv4-mapped endpoints whole' {
        $entries = Get-SockConnection -LocalPort $mappedPort -RemotePort $port
        $entries | Should -HaveCount 1
        $entries.LocalEndpoint | Should -Be "[::ffff:127.0.0.1]:$mappedPort"
        $text = $entries | Out-String -Width 100
        $text | Should -Match ([regex]::Escape("[::ffff:127.0.0.1]:$mappedPort"))
        $text | Should -Match ([regex]::Escape("[::ffff:127.0.0.1]:$port"))
        $text | Should -Not -Match '…'
    }

    It 'Get-SockListener at 80 columns shows the endpoint, exposure, queues, pid and name whole' {
        $l = Get-SockListener -Port $port
        $text = $l | Out-String -Width 80
        foreach ($value in "0.0.0.0:$port", 'AllInterfaces', "$($server.Id)", 'SockPeer', "$($l.SendQueue)") { $text | Should -Match ([regex]::Escape($value)) }
        $text | Should -Not -Match '…'
    }

    It 'Get-SockListener at 80 columns shows a receive queue of six digits whole' {
        $udp = Start-SockPeer
        try {
            $null, $udpPort = $udp.Send('udp 127.0.0.1 0')
            $sender = [System.Net.Sockets.UdpClient]::new()
            try {
                $payload = [byte[]]::new(60000)
                1..4 | ForEach-Object { $null = $sender.Send($payload, $payload.Length, '127.0.0.1', [int] $udpPort) }
            }
            finally { $sender.Dispose() }
            Wait-Until { (Get-SockListener -Port $udpPort).ReceiveQueue -ge 100000 } -Because 'datagrams to queue up unread'
            $l = Get-SockListener -Port $udpPort
            ($l | Out-String -Width 80) | Should -Match "\b$($l.ReceiveQueue)\b"
        }
        finally { $udp.Kill() }
    }

    It 'Watch-SockState at 80 columns shows time, change, state, endpoints and name whole' {
        $changes = Watch-SockState -Port $port -AddressFamily IPv4 -IncludeExisting -Count 3 -TimeoutSeconds 5
        $changes.Count | Should -BeGreaterOrEqual 1
        $text = $changes | Out-String -Width 80
        $text | Should -Not -Match '…'
        $text | Should -Not -Match '(?m)^\S+\s*$' -Because 'no header wraps onto a line of its own'
        foreach ($c in $changes | Where-Object AddressFamily -eq IPv4) {
            foreach ($value in $c.LocalEndpoint, $c.RemoteEndpoint, $c.ProcessName, "$($c.ChangeType)", "$($c.State)") { $text | Should -Match ([regex]::Escape($value)) }
        }
    }

    It 'Test-SockPort at 80 columns shows name, address, port, status and latency whole' {
        $r = Test-SockPort 127.0.0.1 $port
        $text = $r | Out-String -Width 80
        foreach ($value in '127.0.0.1', "$port", 'Open', $r.LatencyMs.ToString('0.000', [cultureinfo]::InvariantCulture)) { $text | Should -Match ([regex]::Escape($value)) }
        $text | Should -Not -Match '…'
    }

    It 'remoting output (<Name>) keeps endpoints and PSComputerName whole at 100 columns' -ForEach @(
        @{ Name = 'connections'; Command = { Get-SockConnection -Port $port -AddressFamily IPv4 -State Established } }
        @{ Name = 'listeners'; Command = { Get-SockListener -Port $port } }
        @{ Name = 'port tests'; Command = { Test-SockPort 127.0.0.1 $port } }
    ) {
        $remote = & $Command | ForEach-Object {
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_))
            $copy | Add-Member NoteProperty PSComputerName 'web01.example.test'
            $copy | Add-Member NoteProperty PSShowComputerName $true
            $copy
        }
        $remote[0].PSObject.TypeNames[0] | Should -BeLike 'Deserialized.SockTools.*'
        $text = $remote | Out-String -Width 100
        $text | Should -Match 'web01\.example\.test'
        $text | Should -Not -Match '…'
        foreach ($r in $remote) { if ($r.PSObject.Properties['LocalEndpoint'] -and $r.LocalPort -eq $port) { $text | Should -Match ([regex]::Escape($r.LocalEndpoint)) } }
    }
}

Describe 'Every column header is a property' {
    It 'the <Name> view: each header is a property or alias the object has' -ForEach @(
        @{ Name = 'connection'; Command = { Get-SockConnection -Port $port } }
        @{ Name = 'listener'; Command = { Get-SockListener -Port $port } }
        @{ Name = 'change'; Command = { Watch-SockState -Port $port -IncludeExisting -Count 1 -TimeoutSeconds 5 } }
        @{ Name = 'port test'; Command = { Test-SockPort 127.0.0.1 $port } }
        @{ Name = 'owner'; Command = { (Get-SockListener -Port $port).Owners } }
    ) {
        $objects = @(& $Command)
        foreach ($header in Get-Headers $objects) {
            $objects[0].PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column of the $Name view"
        }
    }

    It 'the same holds for the deserialized copies jobs and remoting return' {
        foreach ($live in @(Get-SockConnection -Port $port)[0], (Get-SockListener -Port $port), (Test-SockPort 127.0.0.1 $port)) {
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
            foreach ($header in Get-Headers $copy) { $copy.PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column" }
        }
    }

    It 'Sort-Object PID, Select-Object Proto, Local and Where-Object Local -like work as typed' {
        $sorted = Get-SockConnection -Port $port -State Established | Sort-Object PID
        $sorted.PID | Should -Be ($sorted.ProcessId | Sort-Object)
        $picked = Get-SockListener -Port $port | Select-Object Proto, Local, PID, Process, RecvQ, SendQ
        $picked.Proto | Should -Be 'Tcp'
        $picked.Local | Should -Be "0.0.0.0:$port"
        $picked.PID | Should -Be $server.Id
        $picked.Process | Should -Be 'SockPeer'
        (Get-SockConnection -State Established | Where-Object Local -like "*:$port").ProcessId | Sort-Object -Unique | Should -Be $server.Id
        (Get-SockConnection -Port $port -State Established | Where-Object Remote -eq "127.0.0.1:$port").LocalPort | Should -Be ([int] $clientPort)
    }

    It 'pipes into Stop-Process, which stops exactly the owner by its id, and Get-Process into it' {
        (Get-Process -Id $server.Id | Get-SockListener).LocalPort | Should -Contain $port
        $victim = Start-SockPeer
        try {
            $null, $victimPort = $victim.Send('listen 127.0.0.1 0')
            Get-SockListener -Port $victimPort | Stop-Process
            $victim.Process.WaitForExit(5000) | Should -BeTrue
            $server.Process.HasExited | Should -BeFalse -Because 'only the owner of that socket was stopped'
        }
        finally { $victim.Kill() }
    }
}

Describe 'Exports carry each value once' {
    It 'Export-Csv of a listener has one column per property and the pid once' {
        $csv = Get-SockListener -Port $port | ConvertTo-Csv
        $columns = ($csv[0] -split ',') -replace '"'
        $columns | Should -Be @('Protocol', 'AddressFamily', 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'Exposure', 'IPv6Only',
            'ProcessId', 'ProcessName', 'CommandLine', 'ServiceName', 'ContainerId', 'Owners', 'UserId', 'UserName', 'Inode', 'ReceiveQueue',
            'SendQueue', 'Timer', 'TimerRemainingMs', 'Retransmits', 'InterfaceIndex', 'Cookie', 'NetworkNamespace')
        $row = $csv | ConvertFrom-Csv
        $row.Owners | Should -Be "SockPeer(pid=$($server.Id),fd=$((Get-SockListener -Port $port).Owners[0].FileDescriptor))"
        @($csv[1] -split ',' | Where-Object { $_ -eq "`"$($server.Id)`"" }) | Should -HaveCount 1
    }

    It 'ConvertTo-Json writes names for every enum, without -EnumsAsStrings, and no warning' {
        $json = Get-SockConnection -Port $port | ConvertTo-Json -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -BeNullOrEmpty
        $back = $json | ConvertFrom-Json
        $back.State | Should -Contain 'Listen'
        $back.State | Should -Contain 'Established'
        $back.Protocol | Sort-Object -Unique | Should -Be 'Tcp'
        $back.Exposure | Should -Contain 'AllInterfaces'
        $back.AddressFamily | Should -Contain 'IPv6'
        $back.Timer | Should -Contain 'None'
        $json | Should -Not -Match '"(OwningProcess|Id|PID|Local|LocalEndpoint)"\s*:'
        ((Test-SockPort 127.0.0.1 $port | ConvertTo-Json) | ConvertFrom-Json).Status | Should -Be 'Open'
    }

    It 'keeps Where-Object State -eq Established and -State completion working with the names' {
        (Get-SockConnection -Port $port | Where-Object State -eq Established) | Should -Not -BeNullOrEmpty
        $typed = 'Get-SockConnection -State TimeW'
        $result = TabExpansion2 -inputScript $typed -cursorColumn $typed.Length
        $result.CompletionMatches.CompletionText | Should -Be 'TimeWait'
    }

    It 'Export-Csv of Watch-SockState keeps the milliseconds, in the same form in every culture' {
        $before = [cultureinfo]::CurrentCulture
        try {
            foreach ($culture in 'en-US', 'de-DE', 'ar-SA') {
                [cultureinfo]::CurrentCulture = $culture
                $row = Watch-SockState -Port $port -IncludeExisting -Count 1 -TimeoutSeconds 5 | ConvertTo-Csv | ConvertFrom-Csv
                $row.TimeStamp | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$' -Because "culture $culture"
            }
        }
        finally { [cultureinfo]::CurrentCulture = $before }
        $change = Watch-SockState -Port $port -IncludeExisting -Count 1 -TimeoutSeconds 5
        $change.TimeStamp | Should -BeOfType ([datetime])
        $change.TimeStamp | Should -BeLessOrEqual (Get-Date)
    }

    It 'a trip through CLIXML keeps every property and no hidden name' {
        foreach ($live in @(Get-SockConnection -Port $port)[0], (Get-SockListener -Port $port), (Watch-SockState -Port $port -IncludeExisting -Count 1 -TimeoutSeconds 5), (Test-SockPort 127.0.0.1 $port)) {
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
            $liveColumns = ($live | ConvertTo-Csv)[0]
            ($copy | ConvertTo-Csv)[0] | Should -Be $liveColumns
        }
    }

    It 'shows the TCP internals in the export only with -TcpInfo' {
        $plain = (Get-SockConnection -Port $port -State Established | ConvertTo-Csv)[0]
        $with = (Get-SockConnection -Port $port -State Established -TcpInfo | ConvertTo-Csv)[0]
        $plain | Should -Not -Match 'RoundTripTimeMs|CongestionControl|BytesAcked'
        $with | Should -Match '"RoundTripTimeMs"'
        $with | Should -Match '"DeliveryRateBitsPerSecond"'
        $with | Should -Match '"Protocol"'
    }
}

Describe 'UNIX sockets and socket memory in views and exports' {
    BeforeAll {
        $unixPath = Join-Path ([IO.Path]::GetTempPath()) "unixown-output-$PID.sock"
        $unixListenerId = $server.Send("unixlisten $unixPath")[0]
        $null = $client.Send("unixconnect $unixPath")
        $null = $server.Send("unixaccept $unixListenerId")
    }
    AfterAll { if ($unixPath -and (Test-Path $unixPath)) { Remove-Item $unixPath -Force } }

    It 'the UNIX <Name> view: each header is a property or alias the object has, and no value is cut at 80 columns' -ForEach @(
        @{ Name = 'connection'; Command = { Get-SockConnection -Path $unixPath } }
        @{ Name = 'listener'; Command = { Get-SockListener -Path $unixPath } }
        @{ Name = 'change'; Command = { Watch-SockState -Path $unixPath -IncludeExisting -Count 2 -TimeoutSeconds 5 } }
    ) {
        $objects = @(& $Command)
        $objects | Should -Not -BeNullOrEmpty
        foreach ($header in Get-Headers $objects) {
            $objects[0].PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column of the UNIX $Name view"
        }
        Get-Headers $objects | Should -Contain 'Path'
        Get-Headers $objects | Should -Not -Contain 'Local'
        $text = $objects | Out-String -Width 80
        $text | Should -Not -Match '…'
        (Get-Rows $objects 80) | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        ($objects | Out-String -Width 200) | Should -Match ([regex]::Escape($unixPath))
    }

    It 'deserialized UNIX entries and changes keep their view and every property' {
        foreach ($live in @(Get-SockConnection -Path $unixPath)[0], (Get-SockListener -Path $unixPath), (Watch-SockState -Path $unixPath -IncludeExisting -Count 1 -TimeoutSeconds 5)) {
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
            ($copy | ConvertTo-Csv)[0] | Should -Be ($live | ConvertTo-Csv)[0]
            foreach ($header in Get-Headers $copy) { $copy.PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column" }
            ($copy | Out-String -Width 100) | Should -Match ([regex]::Escape($unixPath))
        }
    }

    It 'a TCP export gains no UNIX or memory column; a UNIX one has its own, the IP ones empty' {
        $tcp = (Get-SockConnection -Port $port -State Established | ConvertTo-Csv)[0]
        $tcp | Should -Not -Match '"(Path|SocketType|PeerInode|PeerProcessId|PeerProcessName|Drops|ReceiveBufferLimitBytes)"'
        $unix = Get-SockListener -Path $unixPath | ConvertTo-Csv | ConvertFrom-Csv
        $unix.Path | Should -Be $unixPath
        $unix.SocketType | Should -Be 'Stream'
        $unix.LocalPort | Should -BeNullOrEmpty
        $unix.LocalAddress | Should -BeNullOrEmpty
        $memory = (Get-SockConnection -Port $port -State Established -MemoryInfo | ConvertTo-Csv)[0]
        $memory | Should -Match '"Drops"'
        $memory | Should -Match '"SendBufferLimitBytes"'
    }
}

Describe 'Every owner of a shared socket' {
    BeforeAll {
        # A pre-fork server: the parent listens, then forks; parent and child both hold the socket.
        $python = Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($python) {
            $info = [System.Diagnostics.ProcessStartInfo]::new($python.Source)
            foreach ($a in '-c', 'import os, socket, sys, time; s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); child = os.fork(); print(s.getsockname()[1], os.getpid() if child else 0, child, flush=True) if child else None; time.sleep(300)') { $info.ArgumentList.Add($a) }
            $info.RedirectStandardOutput = $true
            $forked = [System.Diagnostics.Process]::Start($info)
            $sharedPort, $parentPid, $childPid = ($forked.StandardOutput.ReadLine() -split ' ') | ForEach-Object { [int] $_ }
        }
    }
    AfterAll {
        if ($forked) { if ($childPid) { Stop-Process -Id $childPid -ErrorAction SilentlyContinue }; $forked.Kill() }
    }
    BeforeEach {
        if (-not $python) { Set-ItResult -Skipped -Because 'python3 is not installed (it forks the pre-fork server)' }
    }

    It 'lists both processes in Owners, the lowest pid as ProcessId' {
        $l = Get-SockListener -Port $sharedPort
        $l | Should -HaveCount 1
        $l.ProcessId | Should -Be ([Math]::Min($parentPid, $childPid))
        $l.ProcessName | Should -Be 'python3'
        @($l.Owners.ProcessId) | Should -Be (@($parentPid, $childPid) | Sort-Object)
        $l.Owners.ProcessName | Sort-Object -Unique | Should -Be 'python3'
        $l.Owners.FileDescriptor | Sort-Object -Unique | Should -HaveCount 1 -Because 'the child inherits the same fd number'
        "$l" | Should -Match "users:\(\(`"python3`",pid=$([Math]::Min($parentPid, $childPid)),fd=\d+\),\(`"python3`",pid=$([Math]::Max($parentPid, $childPid)),fd=\d+\)\)"
    }

    It 'shows the same ProcessId whichever owner -ProcessId names, and finds the socket by any owner' {
        foreach ($owner in $parentPid, $childPid) {
            $l = Get-SockListener -ProcessId $owner | Where-Object LocalPort -eq $sharedPort
            $l | Should -HaveCount 1
            $l.ProcessId | Should -Be ([Math]::Min($parentPid, $childPid))
            @($l.Owners.ProcessId) | Should -Be (@($parentPid, $childPid) | Sort-Object)
        }
        Get-SockListener -Port $sharedPort -ProcessName python3 | Should -HaveCount 1
        Get-SockListener -Port $sharedPort | Where-Object { $_.Owners.ProcessId -contains $childPid } | Should -HaveCount 1
    }

    It 'agrees with ss -ltnp about the owners' {
        $ss = Get-Command ss -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $ss) { Set-ItResult -Skipped -Because 'ss is not installed'; return }
        $line = (& $ss.Source -Hltnp "sport = :$sharedPort") -join ' '
        $ssPids = [regex]::Matches($line, 'pid=(\d+)') | ForEach-Object { [int] $_.Groups[1].Value } | Sort-Object
        @((Get-SockListener -Port $sharedPort).Owners.ProcessId) | Should -Be @($ssPids)
    }
}

Describe 'The words users type' {
    It '-State <Typed> finds the same sockets as -State <Name>' -ForEach @(
        @{ Typed = 'estab'; Name = 'Established' }
        @{ Typed = 'ESTABLISHED'; Name = 'Established' }
        @{ Typed = 'listen'; Name = 'Listen' }
        @{ Typed = 'time-wait'; Name = 'TimeWait' }
        @{ Typed = 'close_wait'; Name = 'CloseWait' }
    ) {
        $a = Get-SockConnection -Port $port -State $Typed | ForEach-Object { "$_" } | Sort-Object
        $b = Get-SockConnection -Port $port -State $Name | ForEach-Object { "$_" } | Sort-Object
        $a | Should -Be $b
    }

    It 'takes ss spellings in Watch-SockState too' {
        { Watch-SockState -Port $port -State 'syn-recv', 'fin-wait-1' -TimeoutSeconds 0 -ErrorAction Stop } | Should -Not -Throw
    }

    It 'names both kinds of spelling when a word is not a state' {
        $e = { Get-SockConnection -State 'time_wait', 'nope' -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match "'nope' is not a socket state"
        $e.Exception.Message | Should -Match 'TimeWait'
        $e.Exception.Message | Should -Match 'time-wait'
    }
}

BeforeDiscovery {
    # The views of the namespace parameters, each with how to read objects for it (run inside the tests, where
    # $port and $own exist) and its header line.
    $views = @(
        @{ Name = 'listener'; Read = { Add-TypeName (Get-SockListener -Port $port -NetworkNamespace $own) 'SockTools.SocketEntry#ListenerNamespace' }; Header = '^Namespace\s+Proto\s+Local\s+Exposure\s+PID\s+Process'; Shows = 'LocalEndpoint', 'ProcessId', 'ProcessName' }
        @{ Name = 'connection'; Read = { Get-SockConnection -Port $port -AddressFamily IPv4 -State Established -NetworkNamespace $own | ForEach-Object { Add-TypeName $_ 'SockTools.SocketEntry#Namespace' } }; Header = '^Namespace\s+State\s+Local\s+Remote\s+PID\s+Process'; Shows = 'LocalEndpoint', 'RemoteEndpoint', 'ProcessId', 'ProcessName' }
        @{ Name = 'change'; Read = { Watch-SockState -Port $port -AddressFamily IPv4 -State Established -IncludeExisting -TimeoutSeconds 0.3 -NetworkNamespace $own | ForEach-Object { Add-TypeName $_ 'SockTools.SocketChange#Namespace' } }; Header = '^Time\s+Change\s+State\s+Local\s+Remote\s+Namespace'; Shows = 'LocalEndpoint', 'RemoteEndpoint' }
        @{ Name = 'port test'; Read = { Test-SockPort 127.0.0.1 $port -NetworkNamespace $own }; Header = '^Namespace\s+ComputerName\s+RemoteAddress\s+Port\s+Status\s+LatencyMs'; Shows = 'ComputerName', 'RemoteAddress', 'Status' }
    )
}

Describe 'Views and exports of entries from network namespaces' {
    # PowerShell's own namespace, named by its /proc link, is read without root and labelled like any other
    # (net:[inode], 16 characters as every unnamed one). The -AllNetworkNamespaces views are selected by the
    # type names that command adds; tests/NetworkNamespace.Tests.ps1 reads other namespaces as root.
    BeforeAll {
        $own = "/proc/$PID/ns/net"
        $label = (Get-Item $own).LinkTarget
        function Add-TypeName($Object, [string] $TypeName) {
            $shown = [psobject]::new($Object.PSObject.BaseObject)
            foreach ($name in @($Object.PSObject.TypeNames | Where-Object { $_ -like 'SockTools.*#*' })) { $shown.PSObject.TypeNames.Insert(0, $name) }
            $shown.PSObject.TypeNames.Insert(0, $TypeName)
            $shown
        }
        function Get-Remote($Object) {
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Object))
            $copy | Add-Member NoteProperty PSComputerName 'web01.example.test'
            $copy | Add-Member NoteProperty PSShowComputerName $true
            $copy
        }
    }

    It 'labels what it reads in PowerShell''s own namespace by its inode' {
        (Get-SockListener -Port $port -NetworkNamespace $own).NetworkNamespace | Should -Be $label
        $label | Should -Match '^net:\[\d+\]$'
        (Get-SockListener -Port $port).NetworkNamespace | Should -BeNullOrEmpty -Because 'without namespace parameters nothing is labelled'
    }

    It 'the <Name> view shows the namespace, endpoints and owner whole at 80 columns' -ForEach $views {
        $objects = @(& $Read)
        $objects.Count | Should -BeGreaterOrEqual 1
        $text = $objects | Out-String -Width 80
        (Get-Rows $objects 80)[0] | Should -Match $Header
        $text | Should -Not -Match '…'
        $text | Should -Match ([regex]::Escape($label))
        foreach ($o in $objects) {
            foreach ($shown in $Shows) { $text | Should -Match ([regex]::Escape("$($o.$shown)")) -Because "the $Name view shows $shown" }
        }
        (Get-Rows $objects 80) | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }

    It 'the <Name> view: each header is a property or alias, live and deserialized' -ForEach $views {
        $objects = @(& $Read)
        foreach ($header in Get-Headers $objects) {
            $objects[0].PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column of the $Name view"
        }
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($objects[0]))
        $copy.PSObject.TypeNames[0] | Should -BeLike 'Deserialized.SockTools.*#*Namespace'
        foreach ($header in Get-Headers $copy) { $copy.PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column" }
    }

    It 'remoting output of the <Name> view keeps the namespace and PSComputerName whole at 100 columns' -ForEach $views {
        $remote = @(& $Read | ForEach-Object { Get-Remote $_ })
        $text = $remote | Out-String -Width 100
        $text | Should -Match 'web01\.example\.test'
        $text | Should -Match ([regex]::Escape($label))
        $text | Should -Not -Match '…'
    }

    It 'exports NetworkNamespace once, with -TcpInfo too, and through CLIXML' {
        $entry = @(Get-SockConnection -Port $port -State Established -TcpInfo -NetworkNamespace $own)[0]
        $both = Add-TypeName $entry 'SockTools.SocketEntry#Namespace'
        $both.PSObject.TypeNames[0..1] | Should -Be @('SockTools.SocketEntry#Namespace', 'SockTools.SocketEntry#TcpInfo')
        foreach ($shown in $entry, $both) {
            $row = ($shown | ConvertTo-Csv | ConvertFrom-Csv)
            $row.NetworkNamespace | Should -Be $label
            $row.RoundTripTimeMs | Should -Not -BeNullOrEmpty
            $row.PSObject.Properties.Name | Should -Not -Contain 'Namespace'
            $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($shown))
            ($copy | ConvertTo-Csv)[0] | Should -Be ($shown | ConvertTo-Csv)[0]
            $copy.NetworkNamespace | Should -Be $label
        }
        $result = Test-SockPort 127.0.0.1 $port -NetworkNamespace $own
        ($result | ConvertTo-Csv | ConvertFrom-Csv).NetworkNamespace | Should -Be $label
        ($result | Format-List | Out-String) | Should -Match "NetworkNamespace\s*:\s*$([regex]::Escape($label))"
    }
}
