# Get-SockConnection against connections this test opens between two SockPeer processes.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    function Find-Socket {
        # The one entry with this local and remote port (each 4-tuple appears once per side).
        param([int] $LocalPort, [int] $RemotePort, [string] $Protocol = 'Tcp')
        Get-SockConnection -LocalPort $LocalPort -RemotePort $RemotePort -Protocol $Protocol
    }
}

Describe 'Get-SockConnection with live TCP connections' -ForEach @(
    @{ Family = 'IPv4'; Address = '127.0.0.1' }
    @{ Family = 'IPv6'; Address = '::1' }
) {
    BeforeAll {
        $server = Start-SockPeer
        $client = Start-SockPeer
        $listenerId, $serverPort = $server.Send("listen $Address 0")
        $clientConnId, $clientPort = $client.Send("connect $Address $serverPort")
        $acceptedId, $null = $server.Send("accept $listenerId")
        $serverPort = [int] $serverPort
        $clientPort = [int] $clientPort
    }

    AfterAll {
        $server.Kill()
        $client.Kill()
    }

    It 'sees the client side of the <Family> connection, owned by the client' {
        $c = Find-Socket -LocalPort $clientPort -RemotePort $serverPort
        $c | Should -HaveCount 1
        $c.State | Should -Be 'Established'
        $c.LocalAddress | Should -Be $Address
        $c.RemoteAddress | Should -Be $Address
        $c.AddressFamily | Should -Be $Family
        $c.ProcessId | Should -Be $client.Id
        $c.ProcessName | Should -Be 'SockPeer'
        $c.OwningProcess | Should -Be $client.Id
    }

    It 'sees the server side of the <Family> connection, owned by the server' {
        $s = Find-Socket -LocalPort $serverPort -RemotePort $clientPort
        $s | Should -HaveCount 1
        $s.State | Should -Be 'Established'
        $s.ProcessId | Should -Be $server.Id
        $s.ReceiveQueue | Should -Be 0
        $s.SendQueue | Should -Be 0
    }

    It 'lists listeners too, as Get-NetTCPConnection does, and -State narrows to them' {
        $all = Get-SockConnection -Port $serverPort -LocalAddress $Address
        $all | Should -HaveCount 3
        ($all | Where-Object State -eq 'Listen').ProcessId | Should -Be $server.Id
        (Get-SockConnection -Port $serverPort -LocalAddress $Address -State Listen) | Should -HaveCount 1
        (Get-SockConnection -Port $serverPort -LocalAddress $Address -State Established) | Should -HaveCount 2
        (Get-SockConnection -Port $serverPort -LocalAddress $Address -State Connected) | Should -HaveCount 2
        (Get-SockConnection -Port $serverPort -LocalAddress $Address -State Listen, Established) | Should -HaveCount 3
    }

    It 'filters each end by port and address' {
        (Get-SockConnection -RemotePort $serverPort -State Established -RemoteAddress $Address).LocalPort | Should -Be $clientPort
        (Get-SockConnection -LocalPort $serverPort -State Established).RemotePort | Should -Be $clientPort
        $range = if ($Family -eq 'IPv4') { '127.0.0.0/8' } else { '::1/128' }
        (Get-SockConnection -Port $serverPort -RemoteAddress $range -State Established) | Should -HaveCount 2
        (Get-SockConnection -Port $serverPort -RemoteAddress 192.0.2.0/24 -ProcessId $server.Id, $client.Id) | Should -BeNullOrEmpty
        $other = if ($Family -eq 'IPv4') { 'IPv6' } else { 'IPv4' }
        Get-SockConnection -Port $serverPort -AddressFamily $other -ProcessId $server.Id, $client.Id | Should -BeNullOrEmpty
    }

    It 'shows nothing when an empty pipeline comes in (no process, no sockets)' {
        Get-Process -Name 'no-such-process' -ErrorAction Ignore | Get-SockConnection | Should -BeNullOrEmpty
        @() | Get-SockListener | Should -BeNullOrEmpty
    }

    It 'gives each process only its own sockets' {
        $mine = Get-SockConnection -ProcessId $client.Id
        $mine | Should -HaveCount 1
        $mine.LocalPort | Should -Be $clientPort
        (Get-Process -Id $server.Id | Get-SockConnection) | Should -HaveCount 2
    }

    It 'follows the close: FinWait2/CloseWait, then TimeWait on the side that closed first' {
        $client.Send("close $clientConnId") | Out-Null
        Wait-Until { (Find-Socket -LocalPort $serverPort -RemotePort $clientPort).State -eq 'CloseWait' } -Because 'server CloseWait'
        (Find-Socket -LocalPort $clientPort -RemotePort $serverPort).State | Should -Be 'FinWait2'

        $server.Send("close $acceptedId") | Out-Null
        Wait-Until { (Find-Socket -LocalPort $clientPort -RemotePort $serverPort).State -eq 'TimeWait' } -Because 'client TimeWait'
        $tw = Find-Socket -LocalPort $clientPort -RemotePort $serverPort
        $tw.ProcessId | Should -BeNullOrEmpty
        $tw.Inode | Should -BeNullOrEmpty
        $tw.UserName | Should -BeNullOrEmpty
        $tw.Timer | Should -Be 'TimeWait'
        $tw.TimerRemainingMs | Should -BeGreaterThan 0
        $tw.TimerRemainingMs | Should -BeLessOrEqual 60000
        (Get-SockConnection -State TimeWait -LocalPort $clientPort -RemotePort $serverPort) | Should -HaveCount 1
        Find-Socket -LocalPort $serverPort -RemotePort $clientPort | Should -BeNullOrEmpty
    }

    It 'sees the listener go when the server is killed' {
        (Get-SockConnection -LocalPort $serverPort -State Listen) | Should -HaveCount 1
        $server.Kill()
        Get-SockConnection -LocalPort $serverPort -State Listen | Should -BeNullOrEmpty
        Get-SockConnection -ProcessId $server.Id | Should -BeNullOrEmpty
    }
}

Describe 'Get-SockConnection -TcpInfo' {
    BeforeAll {
        $server = Start-SockPeer
        $client = Start-SockPeer
        $listenerId, $serverPort = $server.Send('listen 127.0.0.1 0')
        $connId, $clientPort = $client.Send("connect 127.0.0.1 $serverPort")
        $null = $server.Send("accept $listenerId")
        $null = $client.Send("send $connId 100000")
    }
    AfterAll { $server.Kill(); $client.Kill() }

    It 'reads TCP internals only when asked: without -TcpInfo they are no properties, so no export columns' {
        $plain = Get-SockConnection -LocalPort $clientPort -RemotePort $serverPort
        foreach ($name in 'RoundTripTimeMs', 'CongestionControl', 'BytesAcked', 'DeliveryRateBitsPerSecond') {
            $plain.PSObject.Properties[$name] | Should -BeNullOrEmpty -Because "$name is a -TcpInfo property"
        }
        ($plain | ConvertTo-Csv | Select-Object -First 1) | Should -Not -Match 'RoundTripTimeMs'
        $with = Get-SockConnection -LocalPort $clientPort -RemotePort $serverPort -TcpInfo
        $with.PSObject.TypeNames[0] | Should -Be 'SockTools.SocketEntry#TcpInfo'
        ($with | ConvertTo-Csv | Select-Object -First 1) | Should -Match '"RoundTripTimeMs"'
        ($with | ConvertTo-Json | ConvertFrom-Json).CongestionControl | Should -Not -BeNullOrEmpty
    }

    It 'reports round-trip time, congestion control and the bytes the test sent' {
        Wait-Until { (Get-SockConnection -LocalPort $clientPort -RemotePort $serverPort -TcpInfo).BytesAcked -ge 100000 } -Because 'the peer to acknowledge 100000 bytes'
        $c = Get-SockConnection -LocalPort $clientPort -RemotePort $serverPort -TcpInfo
        $c.RoundTripTimeMs | Should -BeGreaterThan 0
        $c.CongestionWindow | Should -BeGreaterThan 0
        $c.MaxSegmentSize | Should -BeGreaterThan 0
        $c.CongestionControl | Should -Match '^[a-z0-9_]+$'
        $c.BytesSent | Should -BeGreaterOrEqual 100000
        $s = Get-SockConnection -LocalPort $serverPort -RemotePort $clientPort -TcpInfo
        $s.BytesReceived | Should -BeGreaterOrEqual 100000
        $s.ReceiveQueue | Should -BeGreaterOrEqual 0
    }

    It 'agrees with ss -ti about the congestion control algorithm and bytes acknowledged' {
        $c = Get-SockConnection -LocalPort $clientPort -RemotePort $serverPort -TcpInfo
        $ss = (& ss -tinH "( sport = :$clientPort and dport = :$serverPort )") -join ' '
        $ss | Should -Match "\b$([regex]::Escape($c.CongestionControl))\b"
        $ss | Should -Match "bytes_acked:$($c.BytesAcked)\b"
    }

    It 'leaves them empty with the /proc reader, and says why' {
        try {
            $env:SOCKTOOLS_READER = 'proc'
            $out = Get-SockConnection -LocalPort $clientPort -RemotePort $serverPort -TcpInfo -Verbose 4>&1
        }
        finally { Remove-Item Env:SOCKTOOLS_READER }
        $entry = $out | Where-Object { $_ -is [SockTools.SocketEntry] }
        $entry.RoundTripTimeMs | Should -BeNullOrEmpty
        ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join ' ' | Should -Match 'TCP internals need netlink'
    }
}

Describe 'Get-SockConnection with a TCP socket that is only bound' {
    BeforeAll {
        $peer = Start-SockPeer
        $null, $boundPort = $peer.Send('bind 127.0.0.1 0')
    }
    AfterAll { $peer.Kill() }

    It 'shows it with -State Bound (the kernel walks its bind table only when asked), and -State closed as ss spells it' {
        (Get-SockConnection -State closed -LocalPort $boundPort -LocalAddress 127.0.0.1).State | Should -Be 'Bound'
        $b = Get-SockConnection -State Bound -LocalPort $boundPort -LocalAddress 127.0.0.1
        $b | Should -HaveCount 1
        $b.State | Should -Be 'Bound'
        $b.ProcessId | Should -Be $peer.Id
        (Get-SockConnection -State All -LocalPort $boundPort -LocalAddress 127.0.0.1) | Should -HaveCount 1
    }

    It 'leaves it out by default, as ss -ta does' {
        Get-SockConnection -LocalPort $boundPort -LocalAddress 127.0.0.1 | Should -BeNullOrEmpty
        & ss -tanH "( sport = :$boundPort )" | Should -BeNullOrEmpty
    }
}

Describe 'Get-SockConnection with UDP' {
    BeforeAll {
        $peer = Start-SockPeer
        $null, $udpPort = $peer.Send('udp 127.0.0.1 0')
        $null, $connectedPort = $peer.Send("udpconnect 127.0.0.1 $udpPort")
    }
    AfterAll { $peer.Kill() }

    It 'reports a connected UDP socket as Established with its peer' {
        $u = Get-SockConnection -Protocol Udp -LocalPort $connectedPort
        $u.State | Should -Be 'Established'
        $u.RemotePort | Should -Be $udpPort
        $u.ProcessId | Should -Be $peer.Id
    }

    It 'reports a bound UDP socket as Unconnected' {
        $u = Get-SockConnection -Protocol Udp -LocalPort $udpPort
        $u.State | Should -Be 'Unconnected'
        (Get-SockConnection -Protocol Udp -LocalPort $udpPort -State Unconnected) | Should -HaveCount 1
        Get-SockConnection -Protocol Udp -LocalPort $udpPort -State Connected | Should -BeNullOrEmpty
    }
}

Describe 'Get-SockConnection under load' {
    BeforeAll {
        $load = Start-SockPeer
        # The load listens on an address of its own, so sockets of other tests that happen to reuse the
        # port number (ephemeral ports come back) cannot join the comparison.
        $loadAddress = '127.77.0.1'
        $loadPort = [int] $load.Send("load $loadAddress 300")[0]
        $null = $load.Send('udp 127.0.0.1 0')
        $null = $load.Send('udp ::1 0')
        $null = $load.Send("udpconnect $loadAddress $loadPort")

        function ConvertTo-SsKey {
            # One comparable line per TCP socket, as ss -tanH shows it: state local peer.
            param([Parameter(ValueFromPipeline)] $Entry)
            process {
                $states = @{ Listen = 'LISTEN'; Established = 'ESTAB'; TimeWait = 'TIME-WAIT'; CloseWait = 'CLOSE-WAIT'; FinWait1 = 'FIN-WAIT-1'; FinWait2 = 'FIN-WAIT-2'; SynSent = 'SYN-SENT'; SynReceived = 'SYN-RECV'; LastAck = 'LAST-ACK'; Closing = 'CLOSING' }
                $peerPort = if ($Entry.RemotePort -eq 0) { '*' } else { $Entry.RemotePort }
                "$($states["$($Entry.State)"]) $($Entry.LocalAddress):$($Entry.LocalPort) $($Entry.RemoteAddress):$peerPort"
            }
        }
    }
    AfterAll { $load.Kill() }

    It 'matches ss -tanH for the 601 sockets of the load' {
        $ss = & ss -tanH "( ( src $loadAddress and sport = :$loadPort ) or ( dst $loadAddress and dport = :$loadPort ) )" | ForEach-Object {
            $f = $_ -split '\s+'
            "$($f[0]) $($f[3]) $($f[4])"
        } | Sort-Object
        $ours = Get-SockConnection -Protocol Tcp -Port $loadPort | Where-Object { "$($_.LocalAddress):$($_.LocalPort)", "$($_.RemoteAddress):$($_.RemotePort)" -contains "${loadAddress}:$loadPort" } | ConvertTo-SsKey | Sort-Object
        $ss.Count | Should -Be 601
        $ours.Count | Should -Be 601
        Compare-Object $ss $ours | Should -BeNullOrEmpty
    }

    It 'reads the same table with the netlink and the /proc reader' {
        $key = { "$($_.Protocol) $($_.State) $($_.LocalAddress) $($_.LocalPort) $($_.RemoteAddress) $($_.RemotePort) $($_.Inode) $($_.UserId) $($_.ProcessId) $($_.ReceiveQueue)" }
        try {
            $env:SOCKTOOLS_READER = 'netlink'
            $netlink = Get-SockConnection -Protocol Tcp -Port $loadPort | Where-Object { $_.LocalAddress -eq $loadAddress -or $_.RemoteAddress -eq $loadAddress } | ForEach-Object $key | Sort-Object
            $env:SOCKTOOLS_READER = 'proc'
            $proc = Get-SockConnection -Protocol Tcp -Port $loadPort | Where-Object { $_.LocalAddress -eq $loadAddress -or $_.RemoteAddress -eq $loadAddress } | ForEach-Object $key | Sort-Object
        }
        finally { Remove-Item Env:SOCKTOOLS_READER }
        $netlink.Count | Should -Be 601
        Compare-Object $netlink $proc | Should -BeNullOrEmpty
    }

    It 'reads the same UDP sockets with both readers' {
        $key = { "$($_.Protocol) $($_.State) $($_.LocalAddress) $($_.LocalPort) $($_.Inode) $($_.ProcessId)" }
        try {
            $env:SOCKTOOLS_READER = 'netlink'
            $netlink = Get-SockConnection -Protocol Udp | ForEach-Object $key | Sort-Object
            $env:SOCKTOOLS_READER = 'proc'
            $proc = Get-SockConnection -Protocol Udp | ForEach-Object $key | Sort-Object
        }
        finally { Remove-Item Env:SOCKTOOLS_READER }
        @($netlink | Where-Object { $_ -match "Udp \w+ \S+ \d+ \d+ $($load.Id)$" }).Count | Should -Be 3
        Compare-Object @($netlink) @($proc) | Should -BeNullOrEmpty
    }
}

Describe 'Get-SockConnection reader selection' {
    It 'says which reader it used with -Verbose' {
        try {
            $env:SOCKTOOLS_READER = 'proc'
            $v = Get-SockConnection -State Listen -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            ($v.Message -join "`n") | Should -Match '/proc/net'
        }
        finally { Remove-Item Env:SOCKTOOLS_READER }
        $v = Get-SockConnection -State Listen -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($v.Message -join "`n") | Should -Match 'netlink'
    }

    It 'falls back to /proc/net by itself when netlink sockets cannot be opened' {
        $strace = Get-Command strace -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $strace) { Set-ItResult -Skipped -Because 'strace is not installed (it injects the netlink failure)'; return }
        $peer = Start-SockPeer
        try {
            $port = [int] $peer.Send('listen 127.0.0.1 0')[1]
            $pwsh = Join-Path $PSHOME 'pwsh.dll'
            $script = "Import-Module '$((Get-Module SockTools).ModuleBase)/SockTools.psd1'; `$l = Get-SockListener -Port $port -Verbose 4>&1; `$l | ForEach-Object { if (`$_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE: ' + `$_.Message } else { 'PID ' + `$_.ProcessId } }"
            # Every socket() call fails as if the kernel lacked the family; pwsh needs no other socket here.
            $out = & $strace.Source -f -qq --seccomp-bpf -e trace=socket -e inject=socket:error=EAFNOSUPPORT:when=1+ -o /dev/null dotnet $pwsh -NoProfile -NonInteractive -Command $script 2>&1
            ($out -join "`n") | Should -Match 'Netlink sock_diag failed \(socket\(AF_NETLINK, NETLINK_SOCK_DIAG\) failed: EAFNOSUPPORT'
            ($out -join "`n") | Should -Match 'reading /proc/net for this call'
            $out | Should -Contain "PID $($peer.Id)"
        }
        finally { $peer.Kill() }
    }
}

Describe 'Get-SockConnection without root' {
    It 'shows a root-owned listener to nobody with ProcessId null and exactly one warning' {
        if (-not (Test-IsRoot)) { Set-ItResult -Skipped -Because 'only root can switch to the nobody user'; return }
        $peer = Start-SockPeer
        $copy = Join-Path ([IO.Path]::GetTempPath()) "socktools-nobody-$PID"
        try {
            $port = [int] $peer.Send('listen 127.0.0.1 0')[1]
            # nobody cannot read /root: give it a copy of pwsh and of the built module.
            New-Item -ItemType Directory -Path $copy | Out-Null
            Copy-Item $PSHOME (Join-Path $copy 'pwsh') -Recurse
            Copy-Item (Get-Module SockTools).ModuleBase (Join-Path $copy 'SockTools') -Recurse
            & chmod -R a+rX $copy
            $script = @"
Import-Module '$copy/SockTools/SockTools.psd1'
`$entries = Get-SockConnection -WarningVariable w -WarningAction SilentlyContinue
`$mine = `$entries | Where-Object { `$_.LocalPort -eq $port -and `$_.State -eq 'Listen' }
"COUNT `$(@(`$mine).Count)"
"PID [`$(`$mine.ProcessId)]"
"USER `$(`$mine.UserName)"
"WARNINGS `$(@(`$w).Count)"
`$w | ForEach-Object { "WARNING `$_" }
`$v = Get-SockConnection -LocalPort $port -Verbose -WarningAction SilentlyContinue 4>&1 | Where-Object { `$_ -is [System.Management.Automation.VerboseRecord] }
"VERBOSE `$(`$v.Message -join ' ')"
"@
            $out = & runuser -u nobody -- env "HOME=$copy" "DOTNET_CLI_HOME=$copy" dotnet (Join-Path $copy 'pwsh/pwsh.dll') -NoProfile -NonInteractive -Command $script 2>&1
            $text = $out -join "`n"
            $text | Should -Match 'COUNT 1'
            $text | Should -Match 'PID \[\]'
            $text | Should -Match 'USER root'
            $text | Should -Match 'WARNINGS 1'
            $text | Should -Match 'WARNING The owning process of \d+ socket\(s\) is unknown \(ProcessId is null\): \d+ process\(es\) \(.*\) belong to other users \(root\), and only root can read'
            $text | Should -Match "VERBOSE .*read from /proc/<pid>/fd \(the kernel's task-file iterator cannot be used: not root"
        }
        finally {
            $peer.Kill()
            Remove-Item $copy -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

Describe 'Get-SockConnection output' {
    BeforeAll {
        $peer = Start-SockPeer
        $null, $port6 = $peer.Send('listen ::1 0')
    }
    AfterAll { $peer.Kill() }

    It 'reads like ss in the default table: [::1]:port and a * peer port' {
        $text = Get-SockConnection -LocalPort $port6 -LocalAddress ::1 | Out-String -Width 200
        $text | Should -Match ([regex]::Escape("[::1]:$port6"))
        $text | Should -Match ([regex]::Escape('[::]:*'))
        $text | Should -Match 'Listen'
        $text | Should -Match "$($peer.Id)\s+SockPeer"
    }

    It 'streams: Select-Object -First 1 takes one entry and stops the owner scan cleanly' {
        $first = Get-SockConnection -ErrorAction Stop | Select-Object -First 1
        $first | Should -HaveCount 1
        $first | Should -BeOfType ([SockTools.SocketEntry])
        # The same call again works: nothing was left running or locked by the stopped scan.
        (Get-SockConnection -LocalPort $port6 -LocalAddress ::1).ProcessId | Should -Be $peer.Id
    }

    It 'has a ToString like one ss line' {
        $e = Get-SockConnection -LocalPort $port6 -LocalAddress ::1
        "$e" | Should -Be "tcp LISTEN 0 128 [::1]:$port6 [::]:* users:((`"SockPeer`",pid=$($peer.Id),fd=$($e.Owners[0].FileDescriptor)))"
    }

    It 'shows every property with Format-List *' {
        $text = Get-SockConnection -LocalPort $port6 -LocalAddress ::1 | Format-List * | Out-String
        foreach ($name in 'Protocol', 'AddressFamily', 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'State', 'Exposure',
            'ProcessId', 'ProcessName', 'Owners', 'UserId', 'UserName', 'Inode', 'ReceiveQueue', 'SendQueue', 'Timer', 'TimerRemainingMs', 'Retransmits', 'InterfaceIndex', 'Cookie') {
            $text | Should -Match "(?m)^$name\s+:"
        }
    }

    It 'completes -State values' {
        $result = TabExpansion2 -inputScript 'Get-SockConnection -State Est' -cursorColumn 29
        $result.CompletionMatches.CompletionText | Should -Contain 'Established'
        $result = TabExpansion2 -inputScript 'Get-SockConnection -State Conn' -cursorColumn 30
        $result.CompletionMatches.CompletionText | Should -Contain 'Connected'
    }
}

Describe 'Get-SockConnection input errors' {
    It 'rejects -State Bogus and lists the valid states' {
        $e = { Get-SockConnection -State Bogus -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match 'Bogus'
        $e.Exception.Message | Should -Match 'Established'
        $e.Exception.Message | Should -Match 'Synchronized'
    }

    It 'rejects -LocalPort 70000 and -RemotePort 70000' {
        { Get-SockConnection -LocalPort 70000 -ErrorAction Stop } | Should -Throw -ExpectedMessage '*70000*65535*'
        { Get-SockConnection -RemotePort 70000 -ErrorAction Stop } | Should -Throw -ExpectedMessage '*70000*65535*'
    }

    It 'rejects -RemoteAddress <Value>' -ForEach @(@{ Value = 'nope' }, @{ Value = '10.0.0.0/33' }, @{ Value = '::1/129' }) {
        $e = { Get-SockConnection -RemoteAddress $Value -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match ([regex]::Escape("'$Value'"))
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'keeps going when one piped object has no usable process id' {
        $peer = Start-SockPeer
        try {
            $null = $peer.Send('listen 127.0.0.1 0')
            $out = @([pscustomobject]@{ ProcessId = 'x' }, [pscustomobject]@{ ProcessId = $peer.Id }) | Get-SockConnection -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 1
            $out | Should -HaveCount 1
            $out.ProcessId | Should -Be $peer.Id
        }
        finally { $peer.Kill() }
    }
}

Describe 'Owners read in one pass by the kernel (root)' {
    # Three processes in a namespace of the test's own, each holding a listener and 30 connections to it, one of
    # them also a UNIX socket pair. The kernel's task-file iterator and /proc must name the same owners.
    BeforeAll {
        $isRoot = Test-IsRoot
        $ns = "stown$PID"
        $peers = @()
        if ($isRoot) {
            New-TestNetworkNamespace -Name $ns
            $peers = @(1..3 | ForEach-Object { Start-SockPeer -NetworkNamespace $ns })
            $peers | ForEach-Object { $null = $_.Send('load 127.0.0.1 30') }
            $null = $peers[0].Send('socketpair')
        }

        function Read-Owners {
            # Every entry as one line of what identifies it and its owners, with the -Verbose lines apart.
            param([scriptblock] $Read)
            $out = & $Read 4>&1
            [pscustomobject]@{
                Lines   = @($out | Where-Object { $_ -is [SockTools.SocketEntry] } | ForEach-Object { "$($_.Protocol) $($_.LocalEndPoint) $($_.RemoteEndPoint) $($_.State) $($_.ProcessId) $($_.ProcessName) [$($_.Owners)] $(if ($_ -is [SockTools.UnixSocketEntry]) { $_.PeerProcessId })" } | Sort-Object)
                Verbose = ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
            }
        }

        function Read-WithoutProgram {
            param([scriptblock] $Read)
            $env:SOCKTOOLS_NO_BPF = '1'
            try { Read-Owners $Read } finally { Remove-Item Env:SOCKTOOLS_NO_BPF }
        }
    }
    AfterAll {
        $peers | ForEach-Object { $_.Kill() }
        if ($isRoot) { Remove-TestNetworkNamespace -Name $ns }
    }

    It 'names every owner as /proc does, and -Verbose says which way they were read' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'loading the BPF program needs root'; return }
        $read = { Get-SockConnection -NetworkNamespace $ns -Protocol Tcp, Unix -Verbose }
        $kernel = Read-Owners $read
        $proc = Read-WithoutProgram $read
        if ($kernel.Verbose -match "iterator cannot be used: (.*)\)\.") { Set-ItResult -Skipped -Because "this kernel cannot run the program: $($Matches[1])"; return }

        $kernel.Verbose | Should -Match "read from the kernel's task-file iterator"
        $proc.Verbose | Should -Match "read from /proc/<pid>/fd \(the kernel's task-file iterator cannot be used: SOCKTOOLS_NO_BPF is set\)"
        @($kernel.Lines -match '^Tcp ').Count | Should -Be (3 * 61) # per peer a listener and both ends of 30 connections
        $kernel.Lines | Should -Be $proc.Lines
        foreach ($peer in $peers) {
            @($kernel.Lines | Where-Object { $_ -match "^Tcp .* $($peer.Id) SockPeer \[SockPeer\(pid=$($peer.Id),fd=\d+\)\] $" }).Count | Should -Be 61
        }

        @($kernel.Lines | Where-Object { $_ -match "^Unix .* $($peers[0].Id) SockPeer .* $($peers[0].Id)$" }).Count | Should -Be 2 -Because 'each end of the pair knows the process at the other end'
    }

    It 'filters by -ProcessId with the same answer both ways' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'loading the BPF program needs root'; return }
        $read = { Get-SockConnection -NetworkNamespace $ns -Protocol Tcp -ProcessId $peers[1].Id -Verbose }
        $kernel = Read-Owners $read
        $proc = Read-WithoutProgram $read
        $kernel.Lines.Count | Should -Be 61
        $kernel.Lines | Should -Be $proc.Lines
        $kernel.Verbose | Should -Match "the other owners of those sockets read from the kernel's task-file iterator"
    }
}
