# Get-SockSummary against real sockets: counts per state of sockets this test opens (on loopback, selected by
# their port), compared with Get-SockConnection and ss; the kernel's figures and counters against the files and
# nstat. As root, a network namespace of its own, where nothing else runs, so every count is exact, and where
# the test makes the kernel's counters grow (a refused connect, a full accept queue).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    function Get-Rows([object[]] $Objects, [int] $Width) { @(($Objects | Out-String -Width $Width) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ }) }
    function Get-Headers([object[]] $Objects) { @((Get-Rows $Objects 250)[0] -split '\s+' | Where-Object { $_ }) }

    # 'Tcp TimeWait' -> count, for every row of a summary.
    function ConvertTo-CountTable($Rows) {
        $table = [ordered]@{}
        foreach ($r in $Rows) { $table["$($r.Protocol) $($r.State)"] = [int] $r.Count }
        $table
    }

    # ss's state words -> SocketState names.
    $ssStates = @{
        'LISTEN' = 'Listen'; 'SYN-SENT' = 'SynSent'; 'SYN-RECV' = 'SynReceived'; 'ESTAB' = 'Established'
        'FIN-WAIT-1' = 'FinWait1'; 'FIN-WAIT-2' = 'FinWait2'; 'CLOSE-WAIT' = 'CloseWait'; 'CLOSING' = 'Closing'
        'LAST-ACK' = 'LastAck'; 'TIME-WAIT' = 'TimeWait'
    }
    function Get-SsCount([string[]] $Lines) {
        $table = @{}
        foreach ($line in $Lines | Where-Object { $_ }) { $state = $ssStates[($line -split '\s+')[0]]; $table[$state] = 1 + [int] $table[$state] }
        $table
    }

    $tcpStates = 'Listen', 'SynSent', 'SynReceived', 'Established', 'FinWait1', 'FinWait2', 'CloseWait', 'Closing', 'LastAck', 'TimeWait'
}

Describe 'Get-SockSummary counts the sockets it is shown' {
    BeforeAll {
        # On one loopback port: a listener, three established connections (both ends), one the client closed and
        # the server did not (FinWait2 and CloseWait), one both closed, the client first (TimeWait).
        $server = Start-SockPeer
        $client = Start-SockPeer
        $listenerId, $port = $server.Send('listen 127.0.0.1 0')
        $port = [int] $port
        foreach ($i in 1..3) { $null = $client.Send("connect 127.0.0.1 $port"); $null = $server.Send("accept $listenerId") }
        $closing = $client.Send("connect 127.0.0.1 $port")[0]
        $null = $server.Send("accept $listenerId")
        $null = $client.Send("close $closing")
        $waiting = $client.Send("connect 127.0.0.1 $port")[0]
        $accepted = $server.Send("accept $listenerId")[0]
        $null = $client.Send("close $waiting")
        $null = $server.Send("close $accepted")
        $expected = [ordered]@{}
        foreach ($s in $tcpStates) { $expected["Tcp $s"] = 0 }
        $expected['Tcp Listen'] = 1; $expected['Tcp Established'] = 6; $expected['Tcp FinWait2'] = 1; $expected['Tcp CloseWait'] = 1; $expected['Tcp TimeWait'] = 1
        $expected['Udp Unconnected'] = 0; $expected['Udp Established'] = 0
        Wait-Until { (ConvertTo-CountTable (Get-SockSummary -Port $port)) | ConvertTo-Json | ForEach-Object { $_ -eq ($expected | ConvertTo-Json) } } -Because 'the closing handshakes to settle'
    }
    AfterAll { foreach ($p in $client, $server) { if ($p) { $p.Kill() } } }

    It 'writes one row per protocol and state, zeros included, with the exact count of each' {
        $rows = Get-SockSummary -Port $port
        $rows | Should -HaveCount 12
        $rows[0] | Should -BeOfType ([SockTools.SocketStateCount])
        ConvertTo-CountTable $rows | ConvertTo-Json | Should -Be ($expected | ConvertTo-Json)
        foreach ($r in $rows) { $r.IPv4 | Should -Be $r.Count; $r.IPv6 | Should -Be 0 }
        "$(@($rows | Where-Object State -EQ TimeWait)[0])" | Should -Be 'tcp TIME-WAIT 1'
    }

    It 'agrees with Get-SockConnection and with ss about every state' {
        $summary = Get-SockSummary -Port $port -Protocol Tcp
        $listed = Get-SockConnection -Port $port -Protocol Tcp | Group-Object State -AsHashTable -AsString
        $ss = Get-SsCount (& ss -Htan "( sport = :$port or dport = :$port )")
        foreach ($row in $summary) {
            $row.Count | Should -Be @($listed["$($row.State)"]).Where({ $_ }).Count -Because "Get-SockConnection lists as many $($row.State)"
            $row.Count | Should -Be ([int] $ss["$($row.State)"]) -Because "ss counts as many $($row.State)"
        }
    }

    It 'narrows with -State (ss spellings too), -Protocol and -AddressFamily' {
        $tw = Get-SockSummary -Port $port -State time-wait
        $tw | Should -HaveCount 1
        ($tw.Protocol, $tw.State, $tw.Count) -join ' ' | Should -Be 'Tcp TimeWait 1'
        (Get-SockSummary -Port $port -State Established | ForEach-Object { "$($_.Protocol) $($_.Count)" }) | Should -Be @('Tcp 6', 'Udp 0')
        Get-SockSummary -Port $port -Protocol Udp -State TimeWait | Should -BeNullOrEmpty -Because 'UDP sockets are never in TimeWait'
        @(Get-SockSummary -Port $port -AddressFamily IPv6 | Where-Object Count) | Should -BeNullOrEmpty
        (Get-SockSummary -Port $port -State Connected -Protocol Tcp | Measure-Object Count -Sum).Sum | Should -Be 9
    }

    It 'takes the ends apart with -LocalPort, -RemotePort, -LocalAddress and -RemoteAddress' {
        $local = ConvertTo-CountTable (Get-SockSummary -LocalPort $port -Protocol Tcp | Where-Object Count)
        $local | ConvertTo-Json | Should -Be ([ordered]@{ 'Tcp Listen' = 1; 'Tcp Established' = 3; 'Tcp CloseWait' = 1 } | ConvertTo-Json)
        $remote = ConvertTo-CountTable (Get-SockSummary -RemotePort $port -Protocol Tcp | Where-Object Count)
        $remote | ConvertTo-Json | Should -Be ([ordered]@{ 'Tcp Established' = 3; 'Tcp FinWait2' = 1; 'Tcp TimeWait' = 1 } | ConvertTo-Json)
        (Get-SockSummary -Port $port -LocalAddress 127.0.0.0/8 -RemoteAddress 127.0.0.1 -Protocol Tcp | Measure-Object Count -Sum).Sum | Should -Be 9
        (Get-SockSummary -Port $port -LocalAddress 10.0.0.0/8 | Measure-Object Count -Sum).Sum | Should -Be 0
    }

    It 'shows Bound only when asked, and then the sockets that are only bound' {
        $peer = Start-SockPeer
        try {
            $null, $boundPort = $peer.Send('bind 127.0.0.1 0')
            (Get-SockSummary -LocalPort $boundPort).State | Should -Not -Contain 'Bound'
            $bound = Get-SockSummary -LocalPort $boundPort -State Bound
            ($bound.Protocol, $bound.State, $bound.Count) -join ' ' | Should -Be 'Tcp Bound 1'
            (Get-SockSummary -LocalPort $boundPort -State All | Where-Object Count).State | Should -Be 'Bound'
        }
        finally { $peer.Kill() }
    }

    It 'reads the table once without owners (no /proc/<pid>/fd scan), and says so with -Verbose' {
        $verbose = @(Get-SockSummary -Port $port -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        ($verbose -join "`n") | Should -Match 'socket\(s\) match the filters'
        ($verbose -join "`n") | Should -Not -Match 'owner|/proc/\d+|process'
    }

    It 'shows the default view whole at 80 columns, with headers that are properties' {
        $rows = Get-SockSummary -Port $port
        $text = Get-Rows $rows 80
        $text | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        ($text -join "`n") | Should -Not -Match '…'
        ($text -join "`n") | Should -Match '(?m)^Tcp\s+Established\s+6\s+6\s+0$'
        foreach ($header in Get-Headers $rows) { $rows[0].PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column" }
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($rows[3]))
        (Get-Rows $copy 80) -join "`n" | Should -Match '(?m)^Tcp\s+Established\s+6\s+6\s+0$'
    }

    It 'exports one column per property with states by name' {
        $csv = Get-SockSummary -Port $port | ConvertTo-Csv
        ($csv[0] -split ',') -replace '"' | Should -Be @('Protocol', 'State', 'Count', 'IPv4', 'IPv6')
        $csv | Should -Contain '"Tcp","TimeWait","1","1","0"'
        $json = Get-SockSummary -Port $port -State TimeWait | ConvertTo-Json | ConvertFrom-Json
        $json.State | Should -Be 'TimeWait'
        $json.Protocol | Should -Be 'Tcp'
        $json.Count | Should -Be 1
    }

    It 'refuses a port or a state that is none, naming what is valid' {
        { Get-SockSummary -Port 0 -ErrorAction Stop } | Should -Throw '*ports are 1 to 65535*'
        { Get-SockSummary -State nope -ErrorAction Stop } | Should -Throw "*'nope' is not a socket state*"
    }

    It 'completes -State with the state names and -Port with the listening ports' {
        $line = 'Get-SockSummary -State TimeW'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'TimeWait'
        Start-Sleep -Seconds 3 # the completion snapshot of an earlier test may predate the listener (CompletionSnapshot.Lifetime)
        $line = "Get-SockSummary -Port $port"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain "$port"
    }
}

Describe 'Get-SockSummary -Kernel' {
    It 'writes one row for TCP and one for UDP, with the limits of /proc/sys/net/ipv4 in bytes' {
        $rows = Get-SockSummary -Kernel
        $rows | Should -HaveCount 2
        $rows[0] | Should -BeOfType ([SockTools.KernelSocketStat])
        ($rows.Protocol -join ',') | Should -Be 'Tcp,Udp'
        $tcp, $udp = $rows
        $page = [Environment]::SystemPageSize
        $tcpMem = (Get-Content /proc/sys/net/ipv4/tcp_mem) -split '\s+' | ForEach-Object { [long] $_ }
        $udpMem = (Get-Content /proc/sys/net/ipv4/udp_mem) -split '\s+' | ForEach-Object { [long] $_ }
        $tcp.MemoryPressureBytes | Should -Be ($tcpMem[1] * $page)
        $tcp.MemoryLimitBytes | Should -Be ($tcpMem[2] * $page)
        $udp.MemoryLimitBytes | Should -Be ($udpMem[2] * $page)
        $tcp.OrphanLimit | Should -Be ([long] (Get-Content /proc/sys/net/ipv4/tcp_max_orphans))
        $tcp.TimeWaitLimit | Should -Be ([long] (Get-Content /proc/sys/net/ipv4/tcp_max_tw_buckets))
        $tcp.MemoryBytes % $page | Should -Be 0
        $tcp.InUse | Should -Be ($tcp.IPv4 + $tcp.IPv6)
        foreach ($none in 'Orphaned', 'OrphanLimit', 'TimeWait', 'TimeWaitLimit', 'Allocated') { $udp.$none | Should -BeNullOrEmpty -Because "UDP has no $none" }
        $tcp.Orphaned | Should -Not -BeNullOrEmpty
        $tcp.Allocated | Should -BeGreaterOrEqual $tcp.InUse
        (Get-SockSummary -Kernel -Protocol Udp).Protocol | Should -Be 'Udp'
    }

    It 'shows them whole at 80 columns, with headers that are properties, and exports each once' {
        $rows = Get-SockSummary -Kernel
        $text = Get-Rows $rows 80
        $text | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        ($text -join "`n") | Should -Not -Match '…'
        ($text -join "`n") | Should -Match "(?m)^Tcp\s+$($rows[0].InUse)\s"
        foreach ($header in Get-Headers $rows) { $rows[0].PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column" }
        ((($rows | ConvertTo-Csv)[0] -split ',') -replace '"') | Should -Be @('Protocol', 'InUse', 'IPv4', 'IPv6', 'Orphaned', 'OrphanLimit', 'TimeWait', 'TimeWaitLimit', 'Allocated', 'MemoryBytes', 'MemoryPressureBytes', 'MemoryLimitBytes')
        ($rows | ConvertTo-Json | ConvertFrom-Json)[1].Protocol | Should -Be 'Udp'
    }
}

Describe 'Get-SockSummary -Counters' {
    It 'writes the counters that explain trouble, in reading order, each with a description' {
        $rows = Get-SockSummary -Counters
        $rows[0] | Should -BeOfType ([SockTools.SocketCounter])
        $rows.Count | Should -BeGreaterOrEqual 40
        $rows[0].Name | Should -Be 'TcpActiveOpens'
        foreach ($name in 'TcpExtListenOverflows', 'TcpExtListenDrops', 'TcpAttemptFails', 'TcpOutRsts', 'TcpEstabResets', 'TcpRetransSegs',
            'TcpExtSyncookiesSent', 'TcpExtSyncookiesFailed', 'TcpExtTCPTimeWaitOverflow', 'UdpRcvbufErrors', 'UdpNoPorts') {
            $rows.Name | Should -Contain $name
        }
        foreach ($r in $rows) { $r.Description | Should -Not -BeNullOrEmpty; $r.Value | Should -BeOfType ([long]) }
        "$($rows[0])" | Should -Match '^TcpActiveOpens \d+$'
    }

    It 'reads each counter by name: the values are those of the kernel files' {
        # Counters that do not move on their own (this test sends nothing that could change them).
        $names = 'TcpExtTCPTimeWaitOverflow', 'TcpExtSyncookiesFailed', 'UdpInCsumErrors', 'TcpMaxConn'
        $got = @{}
        Get-SockSummary -Counters -Name $names | ForEach-Object { $got[$_.Name] = $_.Value }
        $file = @{}
        foreach ($path in '/proc/net/snmp', '/proc/net/netstat') {
            $lines = @(Get-Content $path)
            for ($i = 0; $i + 1 -lt $lines.Count; $i += 2) {
                $group, $fields = $lines[$i] -split ':\s*', 2
                $values = ($lines[$i + 1] -split ':\s*', 2)[1] -split '\s+'
                $fields = $fields -split '\s+'
                for ($k = 0; $k -lt $fields.Count; $k++) { $file["$group$($fields[$k])"] = [long] $values[$k] }
            }
        }
        foreach ($name in $names) { $got[$name] | Should -Be $file[$name] -Because $name }
        $got['TcpMaxConn'] | Should -Be -1
    }

    It '-Name picks any counter the kernel has, with wildcards; those without words have no description' {
        $listen = Get-SockSummary -Counters -Name '*listen*'
        $listen.Name | Should -Contain 'TcpExtListenOverflows'
        $listen.Name | Should -Contain 'TcpExtListenDrops'
        $ip = Get-SockSummary -Counters -Name IpInReceives
        $ip.Name | Should -Be 'IpInReceives'
        $ip.Description | Should -BeNullOrEmpty
        $ip.Value | Should -BeGreaterOrEqual 0
        @(Get-SockSummary -Counters -Name '*').Count | Should -BeGreaterThan 100
    }

    It '-Protocol keeps the counters of that protocol' {
        $udp = Get-SockSummary -Counters -Protocol Udp
        $udp.Name | ForEach-Object { $_ | Should -Match '^Udp6?[A-Z]' }
        $udp.Name | Should -Contain 'Udp6RcvbufErrors'
        Get-SockSummary -Counters -Protocol Tcp -Name IpInReceives -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'writes error SockTools.CounterNotFound for a name without wildcards that no counter has, and goes on' {
        $rows = Get-SockSummary -Counters -Name 'TcpExtNoSuchCounter', 'TcpExtListenOverflows' -ErrorVariable err -ErrorAction SilentlyContinue
        $rows.Name | Should -Be 'TcpExtListenOverflows'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -Be 'SockTools.CounterNotFound,SockTools.Commands.GetSockSummaryCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'TcpExtNoSuchCounter'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Get-SockSummary -Counters -Name \*'
        Get-SockSummary -Counters -Name 'TcpExtNoSuch*' -ErrorVariable none | Should -BeNullOrEmpty
        $none | Should -BeNullOrEmpty
    }

    It 'says in -Verbose how many counters the kernel has' {
        $verbose = Get-SockSummary -Counters -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $verbose.Message -join ' ' | Should -Match 'The kernel has \d+ counters'
    }

    It 'shows names, values and descriptions whole at 80 columns, descriptions broken at spaces' {
        $rows = Get-SockSummary -Counters
        $text = Get-Rows $rows 80
        $text | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        foreach ($header in Get-Headers $rows) { $rows[0].PSObject.Properties[$header] | Should -Not -BeNullOrEmpty -Because "'$header' is a column" }
        $joined = ($text -join ' ') -replace '\s+', ' '
        foreach ($r in $rows) {
            $joined | Should -Match ([regex]::Escape("$($r.Name) $($r.Value) ")) -Because 'name and value stand on one line'
            $joined | Should -Match ([regex]::Escape(($r.Description -replace '\s+', ' '))) -Because 'the description is whole, words unbroken'
        }
    }

    It 'exports Name, Value and Description' {
        ((Get-SockSummary -Counters -Name TcpActiveOpens | ConvertTo-Csv)[0] -split ',') -replace '"' | Should -Be @('Name', 'Value', 'Description')
    }

    It 'completes -Name with counter names, described ones first' {
        $line = 'Get-SockSummary -Counters -Name TcpExtListenO'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'TcpExtListenOverflows'
        $line = 'Get-SockSummary -Counters -Name TcpExtTCPFastOpenAct'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'TcpExtTCPFastOpenActive'
    }
}

Describe 'Get-SockSummary in a network namespace of its own' {
    # Root only. Nothing but this test's sockets lives in the namespace, so every count is exact, and its
    # counters start from zero.
    BeforeAll {
        $skipReason = if (-not (Test-IsRoot)) { 'needs root to create a network namespace' }
        elseif (-not (Get-Command ip -ErrorAction SilentlyContinue)) { 'needs iproute2 (ip)' }
        if ($skipReason) { return }

        $ns = "socktools-summary-$PID"
        New-TestNamespace $ns
        $server = Start-SockPeer -Namespace $ns
        $client = Start-SockPeer -Namespace $ns
        $v4 = $server.Send('listen 127.0.0.1 7000')[0]
        $v6 = $server.Send('listen ::1 7001')[0]
        $null = $server.Send('udp 127.0.0.1 5353')
        $null = $client.Send('udpconnect 127.0.0.1 5353')
        foreach ($i in 1..3) { $null = $client.Send('connect 127.0.0.1 7000'); $null = $server.Send("accept $v4") }
        $null = $client.Send('connect ::1 7001'); $null = $server.Send("accept $v6")
        $closing = $client.Send('connect 127.0.0.1 7000')[0]
        $null = $server.Send("accept $v4")
        $null = $client.Send("close $closing")
        $waiting = $client.Send('connect 127.0.0.1 7000')[0]
        $accepted = $server.Send("accept $v4")[0]
        $null = $client.Send("close $waiting")
        $null = $server.Send("close $accepted")
        Wait-Until { @(& ip netns exec $ns ss -Htan state time-wait).Count -eq 1 -and @(& ip netns exec $ns ss -Htan state last-ack).Count -eq 0 } -Because 'the closing handshakes to settle'
    }

    AfterAll {
        if ($skipReason) { return }
        foreach ($p in $client, $server) { if ($p) { $p.Kill() } }
        Remove-TestNamespace $ns
    }

    It 'counts every state exactly, as ss does' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $rows = @(Invoke-SockToolsIn $ns 'Get-SockSummary')
        $table = ConvertTo-CountTable $rows
        $expected = [ordered]@{}
        foreach ($s in $tcpStates) { $expected["Tcp $s"] = 0 }
        $expected['Tcp Listen'] = 2; $expected['Tcp Established'] = 8; $expected['Tcp FinWait2'] = 1; $expected['Tcp CloseWait'] = 1; $expected['Tcp TimeWait'] = 1
        $expected['Udp Unconnected'] = 1; $expected['Udp Established'] = 1
        $table | ConvertTo-Json | Should -Be ($expected | ConvertTo-Json)
        $ss = Get-SsCount (& ip netns exec $ns ss -Htan)
        foreach ($r in $rows | Where-Object Protocol -EQ 'Tcp') { $r.Count | Should -Be ([int] $ss[$r.State]) -Because "ss counts as many $($r.State)" }
        @(& ip netns exec $ns ss -Huan).Count | Should -Be 2
        ($rows | Where-Object State -EQ 'Listen' | ForEach-Object { "$($_.IPv4)/$($_.IPv6)" }) | Should -Be '1/1'
        ($rows | Where-Object { $_.Protocol -eq 'Tcp' -and $_.State -eq 'Established' } | ForEach-Object { "$($_.IPv4)/$($_.IPv6)" }) | Should -Be '6/2'
    }

    It 'gives the kernel''s own figures of the namespace, as /proc/net/sockstat has them' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $r = @(Invoke-SockToolsIn $ns '[pscustomobject]@{ Kernel = @(Get-SockSummary -Kernel); Files = @(Get-Content /proc/net/sockstat, /proc/net/sockstat6) }')[0]
        $file = @{}
        foreach ($line in $r.Files) {
            $group, $rest = $line -split ':\s*', 2
            $words = $rest -split '\s+'
            for ($i = 0; $i + 1 -lt $words.Count; $i += 2) { $file["$group $($words[$i])"] = [long] $words[$i + 1] }
        }
        $tcp, $udp = $r.Kernel
        $tcp.TimeWait | Should -Be $file['TCP tw']
        $tcp.IPv4 | Should -Be $file['TCP inuse']
        $tcp.IPv6 | Should -Be $file['TCP6 inuse']
        $udp.IPv4 | Should -Be $file['UDP inuse']
        $udp.IPv6 | Should -Be $file['UDP6 inuse']
        # The kernel keeps a closed socket in FIN-WAIT-2 as a TIME_WAIT socket: its tw counts both.
        $tcp.TimeWait | Should -Be 2
        $tcp.IPv4 + $tcp.IPv6 | Should -Be 11 -Because '2 listeners, 8 established, 1 CloseWait'
        $udp.InUse | Should -Be 2
    }

    It 'shows the counters of the namespace grow: a refused connect, and a SYN to a full accept queue' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $null = $server.Send('listen 127.0.0.1 7100 0')
        $null = $client.Send('connect 127.0.0.1 7100') # fills the accept queue of a backlog of 0
        $r = @(Invoke-SockToolsIn $ns @'
$names = 'TcpActiveOpens', 'TcpAttemptFails', 'TcpOutRsts', 'TcpExtListenOverflows', 'TcpExtListenDrops'
$before = @{}; Get-SockSummary -Counters -Name $names | ForEach-Object { $before[$_.Name] = $_.Value }
$refused = Test-SockPort 127.0.0.1 7999
$dropped = Test-SockPort 127.0.0.1 7100 -TimeoutSeconds 1.5
$after = @{}; Get-SockSummary -Counters -Name $names | ForEach-Object { $after[$_.Name] = $_.Value }
[pscustomobject]@{ Before = $before; After = $after; Refused = $refused.Status; Dropped = $dropped.Status }
'@)[0]
        $r.Refused | Should -Be 'Refused'
        $r.Dropped | Should -Be 'TimedOut'
        # The refused connect failed in the kernel's eyes; the one Test-SockPort gave up on was closed by the program.
        $r.After.TcpAttemptFails - $r.Before.TcpAttemptFails | Should -Be 1 -Because 'the refused connect failed'
        $r.After.TcpActiveOpens - $r.Before.TcpActiveOpens | Should -Be 2
        $r.After.TcpOutRsts - $r.Before.TcpOutRsts | Should -Be 1 -Because 'the port nothing listens on answered with a reset'
        $r.After.TcpExtListenOverflows | Should -BeGreaterThan $r.Before.TcpExtListenOverflows -Because 'the SYN found the accept queue full'
        $r.After.TcpExtListenDrops | Should -BeGreaterOrEqual $r.After.TcpExtListenOverflows
        $nstat = Get-Command nstat -CommandType Application -ErrorAction SilentlyContinue
        if ($nstat) {
            # nstat -a: absolute values, -s: leave its history alone, -z: zeros too.
            $line = @(& ip netns exec $ns $nstat.Source -asz TcpExtListenOverflows) | Where-Object { $_ -match '^TcpExtListenOverflows\s' }
            [long] (($line -split '\s+')[1]) | Should -Be $r.After.TcpExtListenOverflows
        }
    }
}
