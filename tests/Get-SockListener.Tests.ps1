# Get-SockListener against listeners this test opens itself in a SockPeer process.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    $server = Start-SockPeer
    $tcp4 = [int] $server.Send('listen 127.0.0.1 0')[1]
    $tcp6 = [int] $server.Send('listen ::1 0')[1]
    $tcpAny = [int] $server.Send('listen 0.0.0.0 0')[1]
    $udp4 = [int] $server.Send('udp 127.0.0.1 0')[1]
    $udp6 = [int] $server.Send('udp ::1 0')[1]
}

AfterAll {
    if ($server) { $server.Kill() }
}

Describe 'Get-SockListener' {
    It 'reports exactly the sockets the peer holds, with its PID and name' {
        $mine = Get-SockListener -ProcessId $server.Id
        $mine | Should -HaveCount 5
        ($mine.LocalPort | Sort-Object) | Should -Be (@($tcp4, $tcp6, $tcpAny, $udp4, $udp6) | Sort-Object)
        $mine.ProcessId | Sort-Object -Unique | Should -Be $server.Id
        $mine.ProcessName | Sort-Object -Unique | Should -Be 'SockPeer'
        $mine.UserName | Sort-Object -Unique | Should -Be (& id -un)
    }

    It 'reports an IPv4 loopback TCP listener as Loopback' {
        $l = Get-SockListener -Port $tcp4 -Protocol Tcp -LocalAddress 127.0.0.1
        $l | Should -HaveCount 1
        $l.LocalAddress | Should -Be '127.0.0.1'
        $l.AddressFamily | Should -Be 'IPv4'
        $l.State | Should -Be 'Listen'
        $l.Exposure | Should -Be 'Loopback'
        $l.RemotePort | Should -Be 0
        $l.ProcessId | Should -Be $server.Id
        $l.Inode | Should -BeGreaterThan 0
    }

    It 'reports an IPv6 loopback TCP listener' {
        $l = Get-SockListener -Port $tcp6 -Protocol Tcp -LocalAddress ::1
        $l.LocalAddress | Should -Be '::1'
        $l.AddressFamily | Should -Be 'IPv6'
        $l.Exposure | Should -Be 'Loopback'
        $l.ProcessId | Should -Be $server.Id
    }

    It 'reports a wildcard listener as reachable on all interfaces' {
        $l = Get-SockListener -Port $tcpAny -LocalAddress 0.0.0.0
        $l.LocalAddress | Should -Be '0.0.0.0'
        $l.Exposure | Should -Be 'AllInterfaces'
        (Get-SockListener -Exposure AllInterfaces -ProcessId $server.Id).LocalPort | Should -Be $tcpAny
        (Get-SockListener -Exposure Loopback -ProcessId $server.Id) | Should -HaveCount 4
    }

    It 'reports bound UDP sockets as Unconnected, IPv4 and IPv6' {
        $u = Get-SockListener -Protocol Udp -ProcessId $server.Id | Sort-Object AddressFamily
        $u | Should -HaveCount 2
        $u.State | Sort-Object -Unique | Should -Be 'Unconnected'
        $u[0].LocalPort | Should -Be $udp4
        $u[1].LocalPort | Should -Be $udp6
        $u[1].LocalAddress | Should -Be '::1'
    }

    It 'filters by address family, local address and CIDR range' {
        (Get-SockListener -ProcessId $server.Id -AddressFamily IPv6).LocalPort | Sort-Object | Should -Be (@($tcp6, $udp6) | Sort-Object)
        (Get-SockListener -ProcessId $server.Id -LocalAddress 127.0.0.0/8).LocalPort | Sort-Object | Should -Be (@($tcp4, $udp4) | Sort-Object)
        (Get-SockListener -ProcessId $server.Id -LocalAddress '[::1]').LocalPort | Sort-Object | Should -Be (@($tcp6, $udp6) | Sort-Object)
    }

    It 'takes process ids from Get-Process through the pipeline' {
        $piped = Get-Process -Id $server.Id | Get-SockListener
        $piped | Should -HaveCount 5
    }

    It 'matches -ProcessName with wildcards, case-insensitively' {
        (Get-SockListener -ProcessName 'sockpe*' | Where-Object ProcessId -eq $server.Id) | Should -HaveCount 5
        Get-SockListener -ProcessName 'no-such-process-*' | Should -BeNullOrEmpty
    }

    It 'does not list connections, only listeners' {
        $client = Start-SockPeer
        try {
            $clientPort = [int] $client.Send("connect 127.0.0.1 $tcp4")[1]
            Get-SockListener -Port $clientPort | Should -BeNullOrEmpty
            Get-SockListener -ProcessId $client.Id | Should -BeNullOrEmpty
        }
        finally { $client.Kill() }
    }

    It 'agrees with ss about which TCP ports listen' {
        $ss = & ss -tlnH | ForEach-Object { ($_ -split '\s+')[3] -replace '^.*:', '' } | ForEach-Object { [int] $_ }
        foreach ($port in $tcp4, $tcp6, $tcpAny) { $ss | Should -Contain $port }
        $ours = (Get-SockListener -Protocol Tcp).LocalPort
        foreach ($port in $ss) { $ours | Should -Contain $port }
    }

    It 'shows nothing and no error for a process id that does not exist' {
        $out = Get-SockListener -ProcessId 999999 -ErrorVariable err
        $out | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }

    It 'sees a listener disappear when its process is killed' {
        $doomed = Start-SockPeer
        $port = [int] $doomed.Send('listen 127.0.0.1 0')[1]
        (Get-SockListener -Port $port -LocalAddress 127.0.0.1).ProcessId | Should -Be $doomed.Id
        $doomed.Kill()
        Get-SockListener -Port $port -LocalAddress 127.0.0.1 | Should -BeNullOrEmpty
    }
}

Describe 'Get-SockListener output' {
    It 'uses the listener view: endpoint, exposure, process' {
        $text = Get-SockListener -Port $tcp6 -LocalAddress ::1 | Out-String -Width 200
        $text | Should -Match 'Exposure'
        $text | Should -Match ([regex]::Escape("[::1]:$tcp6"))
        $text | Should -Match 'SockPeer'
    }

    It 'converts to JSON with addresses as plain strings' {
        $json = Get-SockListener -Port $tcp4 -Protocol Tcp -LocalAddress 127.0.0.1 | ConvertTo-Json | ConvertFrom-Json
        $json.LocalAddress | Should -Be '127.0.0.1'
        $json.ProcessId | Should -Be $server.Id
    }

    It 'exports one CSV column per property' {
        $csv = Get-SockListener -Port $tcp4 -Protocol Tcp -LocalAddress 127.0.0.1 | ConvertTo-Csv | ConvertFrom-Csv
        $csv.LocalAddress | Should -Be '127.0.0.1'
        $csv.LocalPort | Should -Be "$tcp4"
        $csv.State | Should -Be 'Listen'
        $csv.Exposure | Should -Be 'Loopback'
        $csv.ProcessId | Should -Be "$($server.Id)"
    }

    It 'works with Where-Object on LocalAddress' {
        Get-SockListener -ProcessId $server.Id | Where-Object LocalAddress -eq '127.0.0.1' | Should -HaveCount 2
    }

    It 'pipes into Stop-Process through its Id alias, stopping that process only' {
        # Stop-Process binds Id before ProcessName; without the Id alias it would stop every process of that name.
        $victim = Start-SockPeer
        try {
            $port = [int] $victim.Send('listen 127.0.0.1 0')[1]
            Get-SockListener -Port $port -LocalAddress 127.0.0.1 | Stop-Process
            Wait-Until { $victim.Process.HasExited } -Because 'the listener process to stop'
            $server.Process.HasExited | Should -BeFalse
        }
        finally { $victim.Kill() }
    }

    It 'completes -ProcessName with running process names' {
        $result = TabExpansion2 -inputScript 'Get-SockListener -ProcessName SockPe' -cursorColumn 35
        $result.CompletionMatches.CompletionText | Should -Contain 'SockPeer'
    }
}

Describe 'Get-SockListener input errors' {
    It 'rejects port <Port> naming the valid range' -ForEach @(@{ Port = 70000; Limit = '65535' }, @{ Port = -1; Limit = '0' }) {
        $e = { Get-SockListener -Port $Port -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -BeLike "*$Port*$Limit*"
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'rejects an address that is not an address, naming it and the valid forms' {
        $e = { Get-SockListener -LocalAddress nope -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match "'nope' is not an IP address or CIDR range"
        $e.Exception.Message | Should -Match '10\.0\.0\.0/8'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.FullyQualifiedErrorId | Should -Match 'GetSockListenerCommand'
    }

    It 'rejects a prefix length that is too long for the family' {
        $e = { Get-SockListener -LocalAddress 10.0.0.0/33 -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match "prefix length 33, but an IPv4 prefix is 0 to 32"
    }
}

Describe 'Get-SockListener: dual-stack and IPv6-only listeners' {
    BeforeAll {
        $stack = Start-SockPeer
        $dual = [int] $stack.Send('dualstack 0')[1]
        $v6only = [int] $stack.Send('listen :: 0')[1]      # .NET sets IPV6_V6ONLY on IPv6 sockets unless DualMode
        $v4any = [int] $stack.Send('listen 0.0.0.0 0')[1]
        $v6udp = [int] $stack.Send('udp :: 0')[1]
        $client = [int] $stack.Send("connect ::1 $v6only")[1]
    }
    AfterAll { if ($stack) { $stack.Kill() } }

    It 'says IPv6Only $false for [::] taking IPv4 too, $true for an IPv6-only one, $null for IPv4, as ss does' {
        $d = Get-SockListener -Port $dual
        $d.IPv6Only | Should -BeFalse
        $d.IPv6Only | Should -Not -BeNullOrEmpty
        $d.LocalEndpoint | Should -Be "*:$dual"
        $d.RemoteEndpoint | Should -Be '*:*'
        $d.Exposure | Should -Be 'AllInterfaces'

        $o = Get-SockListener -Port $v6only
        $o.IPv6Only | Should -BeTrue
        $o.LocalEndpoint | Should -Be "[::]:$v6only"

        (Get-SockListener -Port $v4any).IPv6Only | Should -BeNullOrEmpty
        (Get-SockListener -Port $v6udp -Protocol Udp).IPv6Only | Should -BeTrue

        # The oracle: ss prints a dual-stack listener as *:port and an IPv6-only one as [::]:port.
        $ss = (& ss -Hltn "( sport = :$dual or sport = :$v6only )") -join "`n"
        $ss | Should -Match ([regex]::Escape("*:$dual"))
        $ss | Should -Match ([regex]::Escape("[::]:$v6only"))
    }

    It 'leaves IPv6Only $null where the kernel does not report it: a connected socket, and the /proc reader' {
        (Get-SockConnection -Port $client -State Established | Where-Object LocalPort -eq $client).IPv6Only | Should -BeNullOrEmpty
        try {
            $env:SOCKTOOLS_READER = 'proc'
            $p = Get-SockListener -Port $dual
        }
        finally { Remove-Item Env:SOCKTOOLS_READER }
        $p.IPv6Only | Should -BeNullOrEmpty
        $p.LocalEndpoint | Should -Be "[::]:$dual"
    }

    It 'shows *:port in the listener view at 80 columns, and IPv6Only in exports and after serialization' {
        $text = Get-SockListener -Port $dual | Out-String -Width 80
        $text | Should -Match ([regex]::Escape("*:$dual"))
        $csv = Get-SockListener -Port $dual | ConvertTo-Csv -NoTypeInformation
        ($csv[0] -split ',') | Should -Contain '"IPv6Only"'
        $csv[1] | Should -Match '"False"'
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Get-SockListener -Port $dual)))
        $back.IPv6Only | Should -BeFalse
        $back.LocalEndpoint | Should -Be "*:$dual"
    }
}
