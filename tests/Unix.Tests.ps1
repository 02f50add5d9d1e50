# UNIX domain sockets: a server and a client in two SockPeer processes, over a named stream socket, an abstract
# seqpacket socket and a named datagram socket, plus an unnamed socketpair; what the cmdlets report about each
# (name, kind, state, inode, owner, and the socket and process at the other end), checked exactly and against ss.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    $tag = "unixown-unix-$PID"
    $streamPath = Join-Path ([IO.Path]::GetTempPath()) "$tag-stream.sock"
    $dgramPath = Join-Path ([IO.Path]::GetTempPath()) "$tag-dgram.sock"
    $abstract = "@$tag-seq"

    $server = Start-SockPeer
    $client = Start-SockPeer

    # A named stream listener, a client connected to it, and the server's accepted end.
    $listenId, $listenInode = $server.Send("unixlisten $streamPath")
    $clientId, $clientInode = $client.Send("unixconnect $streamPath")
    $acceptedId, $acceptedInode = $server.Send("unixaccept $listenId")

    # An abstract seqpacket listener with one connection.
    $seqListenId, $seqListenInode = $server.Send("unixlisten $abstract seqpacket")
    $null, $seqClientInode = $client.Send("unixconnect $abstract seqpacket")
    $null, $seqAcceptedInode = $server.Send("unixaccept $seqListenId")

    # A named datagram socket, and an unnamed one connected to it.
    $null, $dgramInode = $server.Send("unixdgram $dgramPath")
    $null, $dgramClientInode = $client.Send("unixdgramconnect $dgramPath")

    # An unnamed socketpair, both ends in the client.
    $null, $null, $pairA, $pairB = $client.Send('socketpair')

    $ours = @($listenInode, $clientInode, $acceptedInode, $seqListenInode, $seqClientInode, $seqAcceptedInode, $dgramInode, $dgramClientInode, $pairA, $pairB) | ForEach-Object { [long] $_ }

    function Get-Ours { param([hashtable] $With = @{}) Get-SockConnection -Protocol Unix @With | Where-Object { $ours -contains $_.Inode } }
    function Get-ByInode([object[]] $Entries, $Inode) { @($Entries | Where-Object Inode -eq ([long] $Inode)) }

    # Rows of one view as text.
    function Get-Rows([object[]] $Objects, [int] $Width) { @(($Objects | Out-String -Width $Width) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ }) }
}

AfterAll {
    foreach ($p in $server, $client) { if ($p) { $p.Kill() } }
    foreach ($path in $streamPath, $dgramPath) { if ($path -and (Test-Path $path)) { Remove-Item $path -Force } }
}

Describe 'Get-SockConnection -Protocol Unix' {
    BeforeAll { $entries = @(Get-Ours) }

    It 'lists every socket the test opened, once, and no TCP or UDP socket' {
        @($entries.Inode | Sort-Object) | Should -Be @($ours | Sort-Object)
        @(Get-SockConnection -Protocol Unix | Where-Object Protocol -ne Unix) | Should -BeNullOrEmpty
    }

    It 'shows the named stream listener with its path, kind, state, owner and backlog' {
        $l = Get-ByInode $entries $listenInode
        $l | Should -HaveCount 1
        $l.Protocol | Should -Be 'Unix'
        $l.Path | Should -Be $streamPath
        $l.SocketType | Should -Be 'Stream'
        $l.State | Should -Be 'Listen'
        $l.ProcessId | Should -Be $server.Id
        $l.ProcessName | Should -Be 'SockPeer'
        $l.SendQueue | Should -Be 16 -Because 'a listener''s send queue is its backlog, as for TCP'
        $l.ReceiveQueue | Should -Be 0
        $l.PeerInode | Should -BeNullOrEmpty
        $l.PeerProcessId | Should -BeNullOrEmpty
        $l.UserId | Should -Be ([long] (& id -u))
        $l.Cookie | Should -BeGreaterThan 0
    }

    It 'has no IP words for a UNIX socket: addresses, ports, family, exposure, timer are $null, never 0' {
        $l = Get-ByInode $entries $listenInode
        foreach ($name in 'LocalAddress', 'LocalPort', 'RemoteAddress', 'RemotePort', 'AddressFamily', 'Exposure', 'Timer', 'TimerRemainingMs', 'Retransmits', 'InterfaceIndex') {
            $l.$name | Should -BeNullOrEmpty -Because "$name of a UNIX socket"
        }
    }

    It 'names the process at the other end of each connection: one pass finds both ends' {
        $c = Get-ByInode $entries $clientInode
        $c.Path | Should -BeNullOrEmpty -Because 'a client that did not bind has no name'
        $c.State | Should -Be 'Established'
        $c.ProcessId | Should -Be $client.Id
        $c.PeerInode | Should -Be ([long] $acceptedInode)
        $c.PeerProcessId | Should -Be $server.Id
        $c.PeerProcessName | Should -Be 'SockPeer'

        $a = Get-ByInode $entries $acceptedInode
        $a.Path | Should -Be $streamPath -Because 'an accepted socket carries its listener''s name'
        $a.ProcessId | Should -Be $server.Id
        $a.PeerInode | Should -Be ([long] $clientInode)
        $a.PeerProcessId | Should -Be $client.Id
    }

    It 'shows an abstract name as @name and a seqpacket socket as SeqPacket' {
        $l = Get-ByInode $entries $seqListenInode
        $l.Path | Should -Be $abstract
        $l.SocketType | Should -Be 'SeqPacket'
        $l.State | Should -Be 'Listen'
        (Get-ByInode $entries $seqClientInode).PeerProcessId | Should -Be $server.Id
        (Get-ByInode $entries $seqAcceptedInode).PeerInode | Should -Be ([long] $seqClientInode)
    }

    It 'shows a datagram socket and the unnamed one connected to it' {
        $d = Get-ByInode $entries $dgramInode
        $d.Path | Should -Be $dgramPath
        $d.SocketType | Should -Be 'Datagram'
        $d.PeerInode | Should -BeNullOrEmpty -Because 'the bound side has no peer of its own'
        $c = Get-ByInode $entries $dgramClientInode
        $c.SocketType | Should -Be 'Datagram'
        $c.State | Should -Be 'Established'
        $c.PeerInode | Should -Be ([long] $dgramInode)
        $c.PeerProcessId | Should -Be $server.Id
    }

    It 'shows both ends of an unnamed socketpair, each the other''s peer, in one process' {
        $a = Get-ByInode $entries $pairA
        $b = Get-ByInode $entries $pairB
        foreach ($end in $a, $b) {
            $end.Path | Should -BeNullOrEmpty
            $end.State | Should -Be 'Established'
            $end.ProcessId | Should -Be $client.Id
            $end.PeerProcessId | Should -Be $client.Id
        }
        $a.PeerInode | Should -Be ([long] $pairB)
        $b.PeerInode | Should -Be ([long] $pairA)
    }

    It 'reads like ss -xp in its text form' {
        "$(Get-ByInode $entries $clientInode)" | Should -Match "^u_str ESTAB 0 0 \* $clientInode \* $acceptedInode users:\(\(`"SockPeer`",pid=$($client.Id),fd=\d+\)\)$"
        "$(Get-ByInode $entries $seqListenInode)" | Should -Match "^u_seq LISTEN 0 16 @$tag-seq $seqListenInode \* 0 users:"
    }

    It 'agrees with ss -xp about every socket: name, state, peer inode and owner' {
        $ss = Get-Command ss -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $ss) { Set-ItResult -Skipped -Because 'ss is not installed'; return }
        # u_str ESTAB 0 0 /path 123 * 456 users:(("SockPeer",pid=9,fd=5)); an unnamed socket's name is *
        $lines = & $ss.Source -xapH
        $checked = 0
        foreach ($line in $lines) {
            if ($line -notmatch '^(u_\w+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(.+?)\s+(\d+)\s+\*\s+(\d+)\s*(users:.*)?$') { continue }
            $inode = [long] $Matches[6]
            if ($ours -notcontains $inode) { continue }
            $e = Get-ByInode $entries $inode
            $e | Should -HaveCount 1
            $states = @{ 'LISTEN' = 'Listen'; 'ESTAB' = 'Established'; 'UNCONN' = 'Unconnected' }
            "$($e.State)" | Should -Be $states[$Matches[2]] -Because $line
            $name = if ($Matches[5] -eq '*') { $null } else { $Matches[5] }
            $e.Path | Should -Be $name -Because $line
            [long] ($e.PeerInode ?? 0) | Should -Be ([long] $Matches[7]) -Because $line
            ([regex]::Matches($Matches[8], 'pid=(\d+)') | ForEach-Object { [int] $_.Groups[1].Value } | Select-Object -First 1) | Should -Be $e.ProcessId -Because $line
            $checked++
        }
        $checked | Should -Be $ours.Count
    }
}

Describe '-Path, -Protocol and the other filters' {
    It '-Path takes wildcards and implies -Protocol Unix' {
        $tmp = [IO.Path]::GetTempPath()
        $named = @(Get-SockConnection -Path (Join-Path $tmp "$tag-*"))
        @($named.Inode | Sort-Object) | Should -Be @(@($listenInode, $acceptedInode, $dgramInode) | ForEach-Object { [long] $_ } | Sort-Object)
        @(Get-SockConnection -Path "@$tag-*").Inode | Sort-Object | Should -Be (@($seqListenInode, $seqAcceptedInode) | ForEach-Object { [long] $_ } | Sort-Object)
        @(Get-SockConnection -Path (Join-Path $tmp "$tag-stream.sock") -State Listen).Inode | Should -Be ([long] $listenInode)
    }

    It '-Path matches case-sensitively, as paths are' {
        Get-SockConnection -Path (Join-Path ([IO.Path]::GetTempPath()) "$tag-STREAM.sock") | Should -BeNullOrEmpty
    }

    It 'refuses a wildcard pattern it cannot read, naming it' {
        $e = { Get-SockConnection -Path '/tmp/a[b' -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Match '^ParameterArgumentValidationError'
        $e.Exception.Message | Should -Match ([regex]::Escape("'/tmp/a[b' is not a valid wildcard pattern"))
    }

    It 'leaves UNIX sockets out by default and takes them in with -Protocol All' {
        @(Get-SockConnection | Where-Object Protocol -eq Unix) | Should -BeNullOrEmpty
        $all = @(Get-SockConnection -Protocol All)
        @($all | Where-Object { $ours -contains $_.Inode }) | Should -HaveCount $ours.Count
        @($all.Protocol | Sort-Object -Unique) | Should -Contain 'Tcp'
    }

    It 'lets no UNIX socket pass a port, address or family filter' {
        @(Get-SockConnection -Protocol All -LocalAddress 0.0.0.0/0, ::/0 | Where-Object Protocol -eq Unix) | Should -BeNullOrEmpty
        @(Get-SockConnection -Protocol Unix -AddressFamily IPv4, IPv6) | Should -BeNullOrEmpty
        @(Get-SockConnection -Protocol Unix -RemotePort 0) | Should -BeNullOrEmpty
    }

    It '-State applies to UNIX sockets: Listen, Established' {
        @(Get-SockConnection -Protocol Unix -State Listen | Where-Object { $ours -contains $_.Inode }).Inode | Sort-Object |
            Should -Be (@($listenInode, $seqListenInode) | ForEach-Object { [long] $_ } | Sort-Object)
        @(Get-SockConnection -Protocol Unix -State Established | Where-Object { $ours -contains $_.Inode }) | Should -Not -BeNullOrEmpty
        @(Get-SockConnection -Protocol Unix -State TimeWait) | Should -BeNullOrEmpty
    }

    It '-ProcessId finds the client''s sockets and still names the server as their peer' {
        $mine = @(Get-SockConnection -Protocol Unix -ProcessId $client.Id | Where-Object { $ours -contains $_.Inode }) # .NET's own diagnostics socket aside
        @($mine.Inode | Sort-Object) | Should -Be (@($clientInode, $seqClientInode, $dgramClientInode, $pairA, $pairB) | ForEach-Object { [long] $_ } | Sort-Object)
        ($mine | Where-Object Inode -eq ([long] $clientInode)).PeerProcessId | Should -Be $server.Id
    }

    It 'Test-SockPort skips a piped UNIX socket with a warning, not an error' {
        $l = Get-SockListener -Path $streamPath
        $result = $l | Test-SockPort -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable failed -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed | Should -BeNullOrEmpty
        "$warned" | Should -Match 'UNIX sockets have no TCP port to test'
    }
}

Describe 'Close-SockConnection and UNIX sockets' {
    # The kernel's SOCK_DESTROY reaches TCP and UDP sockets only: a UNIX socket is refused by name, never tried,
    # and a filter that can only find UNIX sockets stops the command before anything is read or closed.
    It 'refuses a piped UNIX socket with its own error, and the socket stays open' {
        $accepted = Get-SockConnection -Path $streamPath -State Established
        $accepted | Should -HaveCount 1
        $accepted | Close-SockConnection -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.SocketCloseNotSupported,*'
        $failed[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        $failed[0].TargetObject.Inode | Should -Be ([long] $acceptedInode)
        $failed[0].Exception.Message | Should -Match 'UNIX domain socket'
        (Get-ByInode @(Get-Ours) $acceptedInode) | Should -HaveCount 1 -Because 'nothing was closed'
    }

    It 'stops at <Name> with ProtocolNotSupported, naming the value, before closing anything' -ForEach @(
        @{ Name = '-Protocol Unix'; Splat = @{ Protocol = 'Unix' }; Value = 'Unix' }
        @{ Name = '-Path'; Splat = @{ Path = '/tmp/unixown-*' }; Value = '/tmp/unixown-*' }
    ) {
        $e = { Close-SockConnection @Splat -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SockTools.ProtocolNotSupported,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$($e.TargetObject)" | Should -Be $Value
        $e.Exception.Message | Should -Match 'TCP and UDP'
        @(Get-Ours).Count | Should -Be $ours.Count -Because 'nothing was closed'
    }

    It '-Protocol All closes only what can be closed: TCP and UDP sockets, never a UNIX one' {
        $null = Close-SockConnection -Protocol All -ProcessId $client.Id -WhatIf -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -BeNullOrEmpty -Because 'UNIX sockets are left out of the read, not refused one by one'
        @(Get-Ours).Count | Should -Be $ours.Count
    }
}

Describe 'Get-SockListener -Protocol Unix' {
    It 'lists the listeners and the named datagram socket, none of the connected or unnamed ones' {
        $l = @(Get-SockListener -Protocol Unix | Where-Object { $ours -contains $_.Inode })
        @($l.Inode | Sort-Object) | Should -Be (@($listenInode, $seqListenInode, $dgramInode) | ForEach-Object { [long] $_ } | Sort-Object)
        ($l | Where-Object Inode -eq ([long] $dgramInode)).SocketType | Should -Be 'Datagram'
    }

    It 'takes -Path too, sorted by path among the UNIX sockets, after TCP and UDP' {
        $all = @(Get-SockListener -Protocol All)
        $unix = @($all | Where-Object Protocol -eq Unix)
        $unix | Should -Not -BeNullOrEmpty
        $all.IndexOf($unix[0]) | Should -Be ($all.Count - $unix.Count) -Because 'UNIX listeners come last'
        [string[]] $paths = @($unix.Path)
        [string[]] $ordinal = $paths.Clone()
        [Array]::Sort($ordinal, [StringComparer]::Ordinal)
        $paths | Should -Be $ordinal -Because 'UNIX listeners are sorted by path'
        (Get-SockListener -Path $abstract).Inode | Should -Be ([long] $seqListenInode)
    }
}

Describe 'Views and exports of UNIX sockets' {
    It 'shows Path and the peer instead of endpoints, at 80 columns, with nothing cut: a long path wraps whole' {
        $entries = @(Get-Ours)
        $rows = Get-Rows $entries 80
        $rows[0] -split '\s+' | Should -Be @('State', 'Path', 'PID', 'Process', 'PeerProcess')
        ($entries | Out-String -Width 80) | Should -Not -Match '…'
        $rows | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }

        # The Path column's cells of one row, joined across the lines the row wraps onto, give the path whole.
        $pathStart = $rows[0].IndexOf('Path')
        $pathEnd = $rows[0].IndexOf('PID') + 'PID'.Length - 7 - 1 # PID is 7 wide, right-aligned, one space before it
        $joined = @()
        $current = $null
        foreach ($row in $rows | Select-Object -Skip 2) {
            $cell = if ($row.Length -gt $pathStart) { $row.Substring($pathStart, [Math]::Min($pathEnd, $row.Length) - $pathStart).Trim() } else { '' }
            if ($row -match '^\S') { if ($null -ne $current) { $joined += $current }; $current = $cell } else { $current += $cell }
        }
        $joined += $current
        $joined | Should -Contain $streamPath
        $joined | Should -Contain $dgramPath
        $joined | Should -Contain $abstract
        ($entries | Out-String -Width 200) | Should -Match ([regex]::Escape($streamPath))
    }

    It 'gives each header a property or hidden alias: State, Path, PID, Process, PeerPID, PeerProcess, and the listener''s Type' {
        $e = @(Get-Ours)[0]
        foreach ($header in 'State', 'Path', 'PID', 'Process', 'PeerPID', 'PeerProcess', 'Type') { $e.PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column" }
        $l = Get-SockListener -Path $streamPath
        ((Get-Rows @($l) 80)[0] -split '\s+') | Should -Be @('Type', 'Path', 'RecvQ', 'SendQ', 'PID', 'Process')
        $sorted = @(Get-Ours) | Sort-Object PeerPID, Inode
        $sorted[-1].PeerPID | Should -Be ([Math]::Max($server.Id, $client.Id))
    }

    It 'writes UNIX sockets listed alone as they are: the UnixSocketEntry type gives the view and the columns, remoting copies too' {
        $e = @(Get-Ours)
        $e | ForEach-Object { $_ | Should -BeOfType SockTools.UnixSocketEntry }
        $e | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'SockTools.UnixSocketEntry' -Because 'no name is added to each object' }
        $c = Get-ByInode $e $clientInode
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($c))
        $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.SockTools.UnixSocketEntry'
        ((Get-Rows @($copy) 100)[0] -split '\s+') | Should -Be @('State', 'Path', 'Process', 'PeerProcess')
        $copy.PeerProcessName | Should -Be $c.PeerProcessName
    }

    It 'exports the UNIX properties of UNIX sockets only: TCP and UDP exports gain no empty column' {
        $unixColumns = ((Get-Ours | ConvertTo-Csv)[0] -split ',') -replace '"'
        foreach ($name in 'Path', 'SocketType', 'PeerInode', 'PeerProcessId', 'PeerProcessName', 'Protocol', 'State', 'Inode', 'ProcessId', 'CommandLine', 'ServiceName', 'ContainerId') { $unixColumns | Should -Contain $name }
        $unixColumns | Should -Not -Contain 'LocalEndpoint'
        $unixColumns | Should -Not -Contain 'PeerPID'
        $tcp = Start-SockPeer
        try {
            $null, $port = $tcp.Send('listen 127.0.0.1 0')
            $tcpColumns = ((Get-SockConnection -Port $port | ConvertTo-Csv)[0] -split ',') -replace '"'
            foreach ($name in 'Path', 'SocketType', 'PeerInode', 'PeerProcessId', 'PeerProcessName') { $tcpColumns | Should -Not -Contain $name }
        }
        finally { $tcp.Kill() }
    }

    It 'writes the kind by name in JSON, and keeps every property through CLIXML' {
        $e = Get-SockListener -Path $streamPath
        $json = $e | ConvertTo-Json -WarningAction SilentlyContinue | ConvertFrom-Json
        $json.SocketType | Should -Be 'Stream'
        $json.Protocol | Should -Be 'Unix'
        $json.Path | Should -Be $streamPath
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($e))
        ($copy | ConvertTo-Csv)[0] | Should -Be ($e | ConvertTo-Csv)[0]
        $copy.PSObject.TypeNames[0] | Should -Be 'Deserialized.SockTools.SocketEntry#UnixListener'
        $copy.Path | Should -Be $streamPath
        ($copy | Out-String -Width 100) | Should -Match ([regex]::Escape($streamPath))
        $c = Get-ByInode @(Get-Ours) $clientInode
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($c))
        $copy.PeerProcessId | Should -Be $server.Id
        $copy.PeerPID | Should -Be $server.Id
    }

    It 'shows UNIX sockets mixed with TCP and UDP (-Protocol All) in their view, the path as Local, whichever comes first' {
        $tcp = Start-SockPeer
        try {
            $null, $port = $tcp.Send('listen 127.0.0.1 0')
            foreach ($order in 'tcp first', 'unix first') {
                $mixed = @(Get-SockConnection -Protocol All | Where-Object { $_.LocalPort -eq [int] $port -or $_.Inode -eq [long] $listenInode })
                if ($order -eq 'unix first') { [array]::Reverse($mixed) }
                $mixed | Should -HaveCount 2
                $rows = Get-Rows $mixed 200
                $rows[0] -split '\s+' | Should -Be @('Proto', 'State', 'Local', 'Remote', 'PID', 'Process') -Because $order
                ($rows -join "`n") | Should -Match "(?m)^Unix\s+Listen\s+$([regex]::Escape($streamPath))\s+$($server.Id) SockPeer$"
                ($rows -join "`n") | Should -Match "(?m)^Tcp\s+Listen\s+127\.0\.0\.1:$port\s+0\.0\.0\.0:\*\s+$($tcp.Id) SockPeer$"
                ($mixed | Out-String -Width 80) | Should -Not -Match '…' -Because 'a long path wraps'
            }
            $unix = @(Get-SockConnection -Protocol All | Where-Object Inode -eq ([long] $listenInode))[0]
            $unix.Local | Should -Be $streamPath
            $unix.Path | Should -Be $streamPath
            # Export-Csv takes its columns from the first object: a mixed output's TCP entries carry the UNIX columns
            # too (empty), so the UNIX rows after them keep their path and kind.
            $tcpFirst = @(Get-SockConnection -Protocol All | Where-Object { $_.LocalPort -eq [int] $port -or $_.Inode -eq [long] $listenInode }) |
                Sort-Object { "$($_.Protocol)" -ne 'Tcp' }
            $csv = $tcpFirst | ConvertTo-Csv | ConvertFrom-Csv
            $csv | Should -HaveCount 2
            $csv[0].Protocol | Should -Be 'Tcp'
            $csv[0].Path | Should -BeNullOrEmpty
            $csv[1].Path | Should -Be $streamPath
            $csv[1].SocketType | Should -Be 'Stream'
        }
        finally { $tcp.Kill() }
    }
}

Describe 'The /proc/net/unix reader' {
    BeforeAll { $env:SOCKTOOLS_READER = 'proc' }
    AfterAll { Remove-Item Env:SOCKTOOLS_READER -ErrorAction SilentlyContinue }

    It 'finds the same sockets with the same names, kinds, states and owners, but no peers or queues' {
        $viaProc = @(Get-Ours)
        $env:SOCKTOOLS_READER = 'netlink'
        $viaNetlink = @(Get-Ours)
        $env:SOCKTOOLS_READER = 'proc'
        @($viaProc.Inode | Sort-Object) | Should -Be @($viaNetlink.Inode | Sort-Object)
        foreach ($e in $viaProc) {
            $n = Get-ByInode $viaNetlink $e.Inode
            $e.Path | Should -Be $n.Path
            $e.SocketType | Should -Be $n.SocketType
            $e.ProcessId | Should -Be $n.ProcessId
            $e.PeerInode | Should -BeNullOrEmpty
            $e.PeerProcessId | Should -BeNullOrEmpty
            $e.ReceiveQueue | Should -BeNullOrEmpty
            $e.UserId | Should -BeNullOrEmpty
        }
        # Where netlink says Established for the datagram server (kernel 5.15+), /proc says so too; both agree.
        foreach ($e in $viaProc) { "$($e.State)" | Should -Be "$((Get-ByInode $viaNetlink $e.Inode).State)" -Because "inode $($e.Inode)" }
    }

    It 'says in -Verbose what it cannot show' {
        $verbose = Get-SockConnection -Path $streamPath -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -Match '/proc/net/unix names no peer'
    }
}

Describe 'Watch-SockState -Protocol Unix' {
    It 'reports new UNIX connections with their path and peer, each socket by its inode' {
        $watchPath = Join-Path ([IO.Path]::GetTempPath()) "$tag-watch.sock"
        $modulePath = Join-Path (Get-Module SockTools).ModuleBase 'SockTools.psd1'
        $job = Start-ThreadJob -ScriptBlock {
            param($modulePath, $path)
            Import-Module $modulePath
            Watch-SockState -Path $path -IntervalSeconds 0.1 -TimeoutSeconds 30
        } -ArgumentList $modulePath, $watchPath
        $watchServer = Start-SockPeer
        $watchClient = Start-SockPeer
        try {
            Start-Sleep -Seconds 3 # the job imports the module and takes its first look
            $id, $listenerInode = $watchServer.Send("unixlisten $watchPath")
            $one = $watchClient.Send("unixconnect $watchPath")
            $oneAccepted = $watchServer.Send("unixaccept $id")
            $two = $watchClient.Send("unixconnect $watchPath")
            $twoAccepted = $watchServer.Send("unixaccept $id")
            Wait-Until -TimeoutSeconds 15 -Because 'the watch to see both accepted connections' {
                @($job.Output | Where-Object { $_.ChangeType -eq 'Opened' -and $_.State -eq 'Established' }).Count -ge 2
            }
            $watchServer.Send("close $($oneAccepted[0])") | Out-Null
            Wait-Until -TimeoutSeconds 15 -Because 'the watch to see the first accepted socket go' {
                @($job.Output | Where-Object { $_.ChangeType -eq 'Closed' }).Count -ge 1
            }
        }
        finally {
            $job | Stop-Job
            $changes = @($job | Receive-Job)
            $job | Remove-Job -Force
            $watchServer.Kill(); $watchClient.Kill()
            if (Test-Path $watchPath) { Remove-Item $watchPath -Force }
        }

        $opened = @($changes | Where-Object { $_.ChangeType -eq 'Opened' -and $_.State -eq 'Established' })
        @($opened.Inode | Sort-Object) | Should -Be (@($oneAccepted[1], $twoAccepted[1]) | ForEach-Object { [long] $_ } | Sort-Object) -Because 'two sockets share the path; the inode tells them apart'
        foreach ($o in $opened) {
            $o.Path | Should -Be $watchPath
            $o.ProcessId | Should -Be $watchServer.Id
            $o.PeerProcessId | Should -Be $watchClient.Id
            $o.PeerProcessName | Should -Be 'SockPeer'
            $o.PSObject.TypeNames[0] | Should -Be 'SockTools.SocketChange#UnixView'
        }
        $listen = @($changes | Where-Object { $_.ChangeType -eq 'Opened' -and $_.State -eq 'Listen' })
        $listen | Should -HaveCount 1
        $listen.Inode | Should -Be ([long] $listenerInode)
        $closed = @($changes | Where-Object ChangeType -eq 'Closed')
        $closed | Should -HaveCount 1
        $closed.Inode | Should -Be ([long] $oneAccepted[1])
        $closed.PreviousState | Should -Be 'Established'
        $null = $one, $two
        $text = $changes | Out-String -Width 80
        $text | Should -Match '(?m)^Time\s+Change\s+State\s+Path\s+Process\s+PeerProcess'
        $text | Should -Not -Match '…'
    }
}

Describe 'Tab completion of -Path' {
    It 'offers the names of UNIX sockets as one safe token each, wildcards escaped' {
        $typed = "Get-SockConnection -Path '$([IO.Path]::GetTempPath())$tag-st"
        $result = TabExpansion2 -inputScript $typed -cursorColumn $typed.Length
        $result.CompletionMatches.CompletionText | Should -Be "'$streamPath'"
        $typed = "Get-SockListener -Path '@$tag"
        $result = TabExpansion2 -inputScript $typed -cursorColumn $typed.Length
        $result.CompletionMatches.CompletionText | Should -Be "'$abstract'"
        $result.CompletionMatches.ToolTip | Should -Match 'u_seq LISTEN'
    }
}
