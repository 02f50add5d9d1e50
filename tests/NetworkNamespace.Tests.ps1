# -NetworkNamespace and -AllNetworkNamespaces against namespaces this test makes (root only): two named with
# ip netns and one only a process holds (unshare, as a container's), each with a SockPeer listening on the same
# loopback port, which this host holds bound (not listening) so nothing here answers on it. Everything the test
# makes (namespaces, processes, files) is removed afterwards, whether it passes or not.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest
    $modulePath = Join-Path (Get-Module SockTools).ModuleBase 'SockTools.psd1'

    $skipReason = if (-not (Test-IsRoot)) { 'needs root to create and enter network namespaces' }
    elseif (-not (Get-Command ip -ErrorAction SilentlyContinue)) { 'needs iproute2 (ip); .ci/run installs it' }
    elseif (-not (Get-Command unshare -ErrorAction SilentlyContinue)) { 'needs unshare (util-linux); .ci/run installs it' }
    if ($skipReason) { return }

    function Get-NamespaceInode([int] $ProcessId) {
        $link = (Get-Item "/proc/$ProcessId/ns/net").LinkTarget
        if ($link -notmatch '^net:\[(\d+)\]$') { throw "unexpected link $link" }
        [uint64] $Matches[1]
    }

    function Invoke-Child([string] $Script, [string[]] $Launcher = @()) {
        # A fresh pwsh (optionally under a launcher such as setpriv or ip netns exec) with the module loaded; its
        # objects come back as JSON lines, its warnings and errors as text with their ids.
        $wrapped = @"
Import-Module '$modulePath'
`$ErrorActionPreference = 'Continue'
& { $Script } 2>&1 3>&1 | ForEach-Object {
    if (`$_ -is [System.Management.Automation.WarningRecord]) { 'WARNING: ' + `$_.Message }
    elseif (`$_ -is [System.Management.Automation.ErrorRecord]) { 'ERROR: ' + `$_.FullyQualifiedErrorId + ' | ' + `$_.CategoryInfo.Category + ' | ' + `$_.TargetObject + ' | ' + `$_.Exception.Message }
    else { 'OBJECT: ' + (`$_ | ConvertTo-Json -Compress -Depth 3 -EnumsAsStrings) }
}
"@
        $file = Join-Path ([IO.Path]::GetTempPath()) "stns-netns-$PID.ps1"
        Set-Content -Path $file -Value $wrapped
        try {
            $command = @($Launcher) + @('dotnet', (Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $file)
            @(& $command[0] $command[1..($command.Count - 1)] 2>&1 | ForEach-Object { "$_" })
        }
        finally { Remove-Item $file -ErrorAction SilentlyContinue }
    }

    function Start-Watch([string] $Arguments) {
        # Watch-SockState in a thread job; returns once its first look is taken (it says so in -Verbose), so what
        # the test does next happens while it watches.
        $job = Start-ThreadJob ([scriptblock]::Create("Import-Module '$modulePath'; Watch-SockState $Arguments -Verbose -WarningAction SilentlyContinue"))
        try { Wait-Until { (@($job.Verbose | ForEach-Object Message) -join "`n") -match 'Destroy notifications (on|off)' } -TimeoutSeconds 60 -Because 'the watch to take its first look' }
        catch { $job | Remove-Job -Force; throw }
        $job
    }

    function Receive-Watch($Job) {
        $changes = @($Job | Wait-Job -Timeout 60 | Receive-Job -Verbose:$false 4>$null)
        $Job | Remove-Job -Force
        $changes
    }

    function Get-Objects([string[]] $Lines) { $Lines | Where-Object { $_.StartsWith('OBJECT: ') } | ForEach-Object { $_.Substring(8) | ConvertFrom-Json } }
    function Get-Errors([string[]] $Lines) { @($Lines | Where-Object { $_.StartsWith('ERROR: ') }) }

    # A port below the ephemeral range that this host lets nothing listen on: bound here, never listening.
    while ($true) {
        $port = Get-Random -Minimum 30000 -Maximum 32000
        $hostBlock = [System.Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        try { $hostBlock.Bind([System.Net.IPEndPoint]::new([ipaddress]::Loopback, $port)); break }
        catch { $hostBlock.Dispose() }
    }

    $nsA = "stns-ns-$PID-a"
    $nsB = "stns-ns-$PID-b"
    New-TestNetworkNamespace $nsA
    New-TestNetworkNamespace $nsB
    $peerA = Start-SockPeer -NetworkNamespace $nsA
    $peerB = Start-SockPeer -NetworkNamespace $nsB
    $peerC = Start-SockPeer -NewNetworkNamespace
    $listenerA = $peerA.Send("listen 127.0.0.1 $port")[0]
    $listenerB = $peerB.Send("listen 127.0.0.1 $port")[0]
    $null = $peerC.Send("listen 127.0.0.1 $port")
    $inodeA = Get-NamespaceInode $peerA.Id
    $inodeC = Get-NamespaceInode $peerC.Id
    $labelC = "net:[$inodeC]"
    $ownInode = Get-NamespaceInode $PID
}

AfterAll {
    if ($skipReason) { return }
    foreach ($peer in $peerA, $peerB, $peerC) { if ($peer) { $peer.Kill() } }
    foreach ($name in $nsA, $nsB) { Remove-TestNetworkNamespace $name }
    if ($hostBlock) { $hostBlock.Dispose() }
}

Describe 'Reading one network namespace' {
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'lists the listener inside a named namespace, with its owner, and none of this host''s' {
        $inside = @(Get-SockListener -NetworkNamespace $nsA)
        $inside | Should -HaveCount 1
        $inside[0].LocalEndpoint | Should -Be "127.0.0.1:$port"
        $inside[0].ProcessId | Should -Be $peerA.Id -Because 'owners are found through this host''s /proc'
        $inside[0].ProcessName | Should -Be 'SockPeer'
        $inside[0].NetworkNamespace | Should -Be $nsA
        Get-SockListener -Port $port | Should -BeNullOrEmpty -Because 'the port is only bound here, not listening'
    }

    It 'agrees with ss run inside the namespace' {
        $ss = @(& ip netns exec $nsA ss -Htan | Where-Object { $_ })
        $ours = @(Get-SockConnection -NetworkNamespace $nsA -Protocol Tcp)
        $ours | Should -HaveCount $ss.Count
        ($ss -join "`n") | Should -Match ([regex]::Escape("127.0.0.1:$port"))
    }

    It 'finds it by <How>' -ForEach @(
        @{ How = 'its path in /run/netns'; Value = { "/run/netns/$nsA" }; Label = { $nsA }; In = $null }
        @{ How = 'a path relative to the current location'; Value = { "./$nsA" }; Label = { $nsA }; In = '/run/netns' }
        @{ How = 'the namespace link of a process in it'; Value = { "/proc/$($peerA.Id)/ns/net" }; Label = { "net:[$inodeA]" }; In = $null }
        @{ How = 'its label net:[inode]'; Value = { "net:[$inodeA]" }; Label = { "net:[$inodeA]" }; In = $null }
    ) {
        if ($In) { Push-Location $In }
        try { $found = @(Get-SockListener -NetworkNamespace (& $Value)) }
        finally { if ($In) { Pop-Location } }
        $found | Should -HaveCount 1
        $found[0].ProcessId | Should -Be $peerA.Id
        $found[0].NetworkNamespace | Should -Be (& $Label)
    }

    It 'reads a namespace that only a process holds, as a container''s, through /proc/<pid>/ns/net' {
        $inside = @(Get-SockListener -NetworkNamespace "/proc/$($peerC.Id)/ns/net")
        $inside | Should -HaveCount 1
        $inside[0].ProcessId | Should -Be $peerC.Id
        $inside[0].NetworkNamespace | Should -Be $labelC
    }

    It 'reads the namespace''s own /proc/thread-self/net when netlink is not used' {
        $env:SOCKTOOLS_READER = 'proc'
        try {
            $viaProc = @(Get-SockListener -NetworkNamespace $nsB -Verbose 4>&1)
        }
        finally { Remove-Item Env:SOCKTOOLS_READER }
        $entries = @($viaProc | Where-Object { $_ -is [SockTools.SocketEntry] })
        $entries | Should -HaveCount 1
        $entries[0].ProcessId | Should -Be $peerB.Id
        $entries[0].SendQueue | Should -BeNullOrEmpty -Because 'the /proc reader cannot see a backlog, so this came from /proc'
        ($viaProc | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Reading /proc/net'
    }

    It 'reads PowerShell''s own namespace through its link without entering it' {
        $own = @(Get-SockConnection -NetworkNamespace /proc/self/ns/net -Port $port)
        $own | Should -BeNullOrEmpty -Because 'the host only holds the port bound'
        $listener = Start-SockPeer
        try {
            $hostPort = [int] $listener.Send('listen 127.0.0.1 0')[1]
            $seen = Get-SockListener -NetworkNamespace "net:[$ownInode]" -Port $hostPort
            $seen.ProcessId | Should -Be $listener.Id
            $seen.NetworkNamespace | Should -Be "net:[$ownInode]"
        }
        finally { $listener.Kill() }
    }

    It 'watches the namespace: a connection made inside opens and changes state' {
        $client = Start-SockPeer -NetworkNamespace $nsA
        try {
            # A listener of its own, so that the sockets earlier tests left closing on $port change nothing here.
            $ownListener, $watched = $peerA.Send('listen 127.0.0.1 0')
            $job = Start-Watch "-NetworkNamespace $nsA -Port $watched -IntervalSeconds 0.5 -Count 4 -TimeoutSeconds 30"
            $null, $clientPort = $client.Send("connect 127.0.0.1 $watched")
            $accepted = $peerA.Send("accept $ownListener")[0]
            Start-Sleep -Seconds 1.5
            $null = $peerA.Send("close $accepted") # the server side closes first: FIN_WAIT_2 there, CLOSE_WAIT at the client
            $changes = @(Receive-Watch $job)
            $opened = @($changes | Where-Object { $_.ChangeType -eq 'Opened' -and $_.LocalPort -eq [int] $clientPort })
            $opened | Should -HaveCount 1
            $opened[0].ProcessId | Should -Be $client.Id
            $opened[0].NetworkNamespace | Should -Be $nsA
            ($changes | Where-Object { $_.ChangeType -eq 'Changed' -and $_.LocalPort -eq [int] $watched }).State | Should -Be 'FinWait2'
            ($changes | Where-Object { $_.ChangeType -eq 'Changed' -and $_.LocalPort -eq [int] $clientPort }).State | Should -Be 'CloseWait'
        }
        finally { $client.Kill() }
    }

    It 'lists the namespace''s own UNIX sockets, through netlink and /proc, and names their namespace' {
        # An abstract name belongs to its network namespace: this host's table has no socket of that name.
        $name = "@stns-ns-$PID-unix"
        $unixListener, $unixInode = $peerA.Send("unixlisten $name")
        try {
            Get-SockListener -Path $name | Should -BeNullOrEmpty -Because 'abstract UNIX names are per network namespace'
            foreach ($reader in 'netlink', 'proc') {
                $env:SOCKTOOLS_READER = $reader
                try { $found = @(Get-SockListener -NetworkNamespace $nsA -Path $name) }
                finally { Remove-Item Env:SOCKTOOLS_READER }
                $found | Should -HaveCount 1 -Because "the $reader reader reads the namespace's UNIX sockets inside it"
                $found[0].Protocol | Should -Be 'Unix'
                $found[0].Inode | Should -Be ([uint64] $unixInode)
                $found[0].ProcessId | Should -Be $peerA.Id
                $found[0].NetworkNamespace | Should -Be $nsA
            }

            $all = @(Get-SockListener -AllNetworkNamespaces -Path $name)
            $all | Should -HaveCount 1
            $all[0].NetworkNamespace | Should -Be $nsA
        }
        finally { $null = $peerA.Send("close $unixListener") }
    }
}

Describe 'Reading every network namespace' {
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'finds the listener of each namespace once, named where a name exists, else by inode' {
        $all = @(Get-SockListener -AllNetworkNamespaces -Port $port -WarningAction SilentlyContinue)
        $ours = @($all | Where-Object NetworkNamespace -in $nsA, $nsB, $labelC)
        $ours | Should -HaveCount 3
        ($ours | Where-Object NetworkNamespace -eq $nsA).ProcessId | Should -Be $peerA.Id
        ($ours | Where-Object NetworkNamespace -eq $nsB).ProcessId | Should -Be $peerB.Id
        ($ours | Where-Object NetworkNamespace -eq $labelC).ProcessId | Should -Be $peerC.Id
        @($all | Where-Object NetworkNamespace -eq "net:[$ownInode]") | Should -BeNullOrEmpty
        @($all.Inode | Sort-Object -Unique) | Should -HaveCount $all.Count -Because 'each namespace is read once'
        @($all | Where-Object NetworkNamespace -eq "net:[$inodeA]") | Should -BeNullOrEmpty -Because 'a named namespace is shown by its name'
    }

    It 'reads them all through /proc as well' {
        $env:SOCKTOOLS_READER = 'proc'
        try { $all = @(Get-SockListener -AllNetworkNamespaces -Port $port -WarningAction SilentlyContinue) }
        finally { Remove-Item Env:SOCKTOOLS_READER }
        @($all | Where-Object NetworkNamespace -in $nsA, $nsB, $labelC) | Should -HaveCount 3
    }

    It 'answers "which namespace listens on this port" in a table whose names are whole at 80 columns' {
        $text = Get-SockListener -AllNetworkNamespaces -Port $port -WarningAction SilentlyContinue | Out-String -Width 80
        foreach ($value in $nsA, $nsB, $labelC, "127.0.0.1:$port", 'SockPeer') { $text | Should -Match ([regex]::Escape($value)) }
        $text | Should -Not -Match '…'
        ($text -split "`n")[1] | Should -Match '^Namespace\s+Proto\s+Local\s+Exposure'
        foreach ($line in $text -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $connections = Get-SockConnection -AllNetworkNamespaces -Port $port -WarningAction SilentlyContinue | Out-String -Width 80
        $connections | Should -Match "(?m)^$([regex]::Escape($labelC))\s+Listen\s+127\.0\.0\.1:$port"
    }

    It 'writes the namespace into an export, once, as text' {
        $rows = Get-SockListener -AllNetworkNamespaces -Port $port -WarningAction SilentlyContinue | ConvertTo-Csv | ConvertFrom-Csv
        @($rows | Where-Object NetworkNamespace -in $nsA, $nsB, $labelC) | Should -HaveCount 3
        $rows[0].PSObject.Properties.Name | Should -Not -Contain 'Namespace' -Because 'the column header is a hidden alias'
    }

    It 'pipes each listener into Test-SockPort, which connects from that listener''s namespace' {
        $results = @(Get-SockListener -AllNetworkNamespaces -Port $port -WarningAction SilentlyContinue | Where-Object NetworkNamespace -in $nsA, $nsB, $labelC | Test-SockPort)
        $results | Should -HaveCount 3
        $results.Status | Sort-Object -Unique | Should -Be 'Open'
        ($results.NetworkNamespace | Sort-Object) | Should -Be (@($nsA, $nsB, $labelC) | Sort-Object)
    }

    It 'watches every namespace: connections come with their namespace, one shorter than an interval too' {
        $client = Start-SockPeer -NetworkNamespace $nsB
        try {
            $ownListener, $watched = $peerB.Send('listen 127.0.0.1 0') # its own port: nothing else changes there
            $job = Start-Watch "-AllNetworkNamespaces -Port $watched -IntervalSeconds 2 -Count 4 -TimeoutSeconds 40"
            $short, $shortPort = $client.Send("connect 127.0.0.1 $watched")
            $accepted = $peerB.Send("accept $ownListener")[0]
            $null = $peerB.Send("close $accepted") # the server closes first: its side goes to TIME_WAIT...
            $null = $client.Send("close $short")   # ...and the client's side is destroyed at once, inside $nsB
            $null, $longPort = $client.Send("connect 127.0.0.1 $watched")
            # Four changes: the short connection's server side seen in TIME_WAIT, the long one's two sides, and the
            # short one's client side, which no look saw, reported Closed one look after its destroy notification.
            $changes = @(Receive-Watch $job)
            $opened = @($changes | Where-Object { $_.ChangeType -eq 'Opened' -and $_.LocalPort -eq [int] $longPort })
            $opened | Should -HaveCount 1
            $opened[0].NetworkNamespace | Should -Be $nsB
            $unseen = @($changes | Where-Object { $_.ChangeType -eq 'Closed' -and $null -eq $_.PreviousState })
            $unseen | Should -HaveCount 1 -Because 'the destroy notifications of a namespace are read inside it'
            $unseen[0].LocalPort | Should -Be ([int] $shortPort)
            $unseen[0].NetworkNamespace | Should -Be $nsB
        }
        finally { $client.Kill() }
    }

    It 'shows changes with their namespace: whole at 100 columns, never cut at 80' {
        $changes = @(Watch-SockState -AllNetworkNamespaces -Port $port -State Listen -IncludeExisting -TimeoutSeconds 0.5 -WarningAction SilentlyContinue | Where-Object NetworkNamespace -in $nsA, $nsB, $labelC)
        $changes | Should -HaveCount 3
        $wide = $changes | Out-String -Width 100
        ($wide -split "`n")[1] | Should -Match '^Time\s+Change\s+State\s+Local\s+Remote\s+Namespace'
        foreach ($value in $nsA, $nsB, $labelC, "127.0.0.1:$port") { $wide | Should -Match ([regex]::Escape($value)) }
        $narrow = $changes | Out-String -Width 80
        $narrow | Should -Not -Match '…'
        $narrow | Should -Match ([regex]::Escape($labelC)) -Because 'a net:[inode] label fits on one line at 80 columns'
        foreach ($line in $narrow -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        ($narrow -replace '\s', '') | Should -Match ([regex]::Escape($nsB)) -Because 'a longer name goes on over the next line, whole'
    }

    It 'leaves no thread of PowerShell in another namespace, and no descriptor open' {
        $null = Get-SockConnection -AllNetworkNamespaces -Port $port -WarningAction SilentlyContinue
        $before = @(Get-ChildItem /proc/self/fd).Count
        foreach ($i in 1..5) {
            $null = Get-SockConnection -AllNetworkNamespaces -Port $port -WarningAction SilentlyContinue
            $null = Watch-SockState -AllNetworkNamespaces -Port $port -TimeoutSeconds 0.2 -WarningAction SilentlyContinue
            $null = Test-SockPort 127.0.0.1 $port -NetworkNamespace $nsA
            $null = Test-SockPort localhost $port -NetworkNamespace $nsA -Wait -TimeoutSeconds 2
        }
        Wait-Until { @(Get-ChildItem /proc/self/fd).Count -le $before } -Because 'every namespace and socket to be closed'
        $namespacesOfThreads = { @(Get-ChildItem "/proc/$PID/task" | ForEach-Object { (Get-Item "/proc/$PID/task/$($_.Name)/ns/net" -ErrorAction SilentlyContinue).LinkTarget } | Where-Object { $_ } | Sort-Object -Unique) }
        Wait-Until { (& $namespacesOfThreads) -join ',' -eq "net:[$ownInode]" } -Because 'every thread that entered a namespace to have ended'
        & $namespacesOfThreads | Should -Be "net:[$ownInode]"
    }
}

Describe 'The cmdlets beside the readers, inside a network namespace' {
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'Get-SockSummary counts the namespace''s sockets, as ss inside it does' {
        $ss = @(& ip netns exec $nsA ss -Htan | Where-Object { $_ })
        $counts = @(Get-SockSummary -NetworkNamespace $nsA -Protocol Tcp)
        ($counts | Measure-Object Count -Sum).Sum | Should -Be $ss.Count
        ($counts | Where-Object State -eq 'Listen').Count | Should -Be @($ss | Where-Object { $_ -match '^LISTEN' }).Count
        ($counts | Where-Object State -eq 'Listen').Count | Should -BeGreaterOrEqual 1
    }

    It 'Get-SockSummary -Counters and -Kernel read the namespace''s own figures' {
        $client = Start-SockPeer -NetworkNamespace $nsB
        try {
            $before = (Get-SockSummary -NetworkNamespace $nsB -Counters -Name TcpActiveOpens).Value
            $hostBefore = (Get-SockSummary -Counters -Name TcpActiveOpens).Value
            $null = $client.Send("connect 127.0.0.1 $port")
            $after = (Get-SockSummary -NetworkNamespace $nsB -Counters -Name TcpActiveOpens).Value
            $after | Should -Be ($before + 1) -Because 'one connect was made inside, and nothing else connects there'
            $snmp = (& ip netns exec $nsB cat /proc/net/snmp | Select-String '^Tcp:' | Select-Object -Last 1).Line -split '\s+'
            $names = (& ip netns exec $nsB cat /proc/net/snmp | Select-String '^Tcp:' | Select-Object -First 1).Line -split '\s+'
            [long] $snmp[[array]::IndexOf($names, 'ActiveOpens')] | Should -Be $after
            (Get-SockSummary -Counters -Name TcpActiveOpens).Value | Should -BeGreaterOrEqual $hostBefore
            $hostBefore | Should -Not -Be $before -Because 'the host counts its own connects, not the namespace''s'
            $kernel = Get-SockSummary -NetworkNamespace $nsB -Kernel -Protocol Tcp
            $sockstat = (& ip netns exec $nsB cat /proc/net/sockstat | Select-String '^TCP:').Line
            $sockstat | Should -Match "inuse $($kernel.InUse)\b"
        }
        finally { $client.Kill() }
    }

    It 'Get-SockPortUsage counts against the namespace''s own port range' {
        $hostRange = (Get-Content /proc/sys/net/ipv4/ip_local_port_range) -replace '\s+', '-'
        $nsRange = (& ip netns exec $nsA cat /proc/sys/net/ipv4/ip_local_port_range) -replace '\s+', ' '
        & ip netns exec $nsA sysctl -q -w 'net.ipv4.ip_local_port_range=45000 45099'
        $client = Start-SockPeer -NetworkNamespace $nsA
        try {
            # A listener of this test's own: connections earlier tests made to $port may still be in TIME_WAIT.
            $own = [int] $client.Send('listen 127.0.0.1 0')[1]
            $null = $client.Send("connect 127.0.0.1 $own")
            $usage = @(Get-SockPortUsage -NetworkNamespace $nsA 127.0.0.1 $own -Verbose 4>&1)
            $rows = @($usage | Where-Object { $_ -is [SockTools.PortUsage] })
            $rows | Should -HaveCount 1
            $rows[0].RangeSize | Should -Be 100 -Because 'the namespace''s range is 45000-45099'
            $rows[0].InUse | Should -Be 1
            ($usage | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match "network namespace $nsA 45000-45099"
            $here = (Get-SockPortUsage -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Select-Object -First 1).Message
            $here | Should -Match ([regex]::Escape($hostRange)) -Because 'PowerShell''s own namespace keeps its range'
        }
        finally {
            $client.Kill()
            & ip netns exec $nsA sysctl -q -w "net.ipv4.ip_local_port_range=$nsRange"
        }
    }

    It 'Test-SockPort explains a failure from the table of the namespace it connected from' {
        $result = Test-SockPort 127.0.0.1 ($port + 1) -NetworkNamespace $nsA
        $result.Status | Should -Be 'Refused'
        $result.Diagnosis | Should -Be 'NotListening'
        $result.Explanation | Should -Match "of network namespace $nsA"
        $result.Explanation | Should -Match ([regex]::Escape("127.0.0.1:$port")) -Because 'the listener nearby is the namespace''s, which this host does not have'
        (Test-SockPort 127.0.0.1 ($port + 1)).Explanation | Should -Not -Match ([regex]::Escape("127.0.0.1:$port ")) -Because 'this host''s own table has no listener there'
    }

    It 'Close-SockConnection closes a connection inside the namespace, by filter and piped' {
        $client = Start-SockPeer -NetworkNamespace $nsA
        try {
            $null, $first = $client.Send("connect 127.0.0.1 $port")
            $null, $second = $client.Send("connect 127.0.0.1 $port")
            $closed = @(Close-SockConnection -NetworkNamespace $nsA -LocalPort $first -RemotePort $port -Confirm:$false -PassThru)
            $closed | Should -HaveCount 1
            $closed[0].NetworkNamespace | Should -Be $nsA
            $piped = @(Get-SockConnection -AllNetworkNamespaces -LocalPort $second -RemotePort $port -WarningAction SilentlyContinue)
            $piped | Should -HaveCount 1
            $piped[0].NetworkNamespace | Should -Be $nsA
            @($piped | Close-SockConnection -Confirm:$false -PassThru) | Should -HaveCount 1
            Wait-Until { -not (Get-SockConnection -NetworkNamespace $nsA -LocalPort $first, $second -RemotePort $port -State Established) } -Because 'both client sides are destroyed'
            $refused = try { Close-SockConnection -NetworkNamespace $nsA -Confirm:$false; $null } catch { $_ }
            $refused.FullyQualifiedErrorId | Should -BeLike 'SockTools.CloseTargetMissing*' -Because 'a namespace alone names no socket'
        }
        finally { $client.Kill() }
    }
}

Describe 'Test-SockPort from inside a network namespace' {
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'reaches the listener inside, which this host cannot, with a socket made in the namespace' {
        $inside = Test-SockPort 127.0.0.1 $port -NetworkNamespace $nsA
        $inside.Status | Should -Be 'Open'
        $inside.NetworkNamespace | Should -Be $nsA
        (Test-SockPort 127.0.0.1 $port).Status | Should -Be 'Refused'
        # The client side of the test lingers (closing) where it was made: inside, not here.
        Get-SockConnection -NetworkNamespace $nsA -State All -LocalPort $inside.LocalPort -RemotePort $port | Should -HaveCount 1
        Get-SockConnection -State All -LocalPort $inside.LocalPort -RemotePort $port | Should -BeNullOrEmpty
    }

    It 'tries names and waits from inside too (the general connect path)' {
        $r = Test-SockPort localhost $port -NetworkNamespace $nsB -Wait -TimeoutSeconds 5
        $r.Status | Should -Be 'Open'
        $r.NetworkNamespace | Should -Be $nsB
        $each = @(Test-SockPort localhost $port -NetworkNamespace $nsB -PerAddress)
        ($each | Where-Object RemoteAddress -eq '127.0.0.1').Status | Should -Be 'Open'
        $each.NetworkNamespace | Sort-Object -Unique | Should -Be $nsB
        (Test-SockPort 127.0.0.1 ($port + 1) -NetworkNamespace $nsB).Status | Should -Be 'Refused'
    }

    It 'shows the namespace in its table, whole at 80 columns' {
        $text = Test-SockPort 127.0.0.1 $port -NetworkNamespace $nsA | Out-String -Width 80
        $text | Should -Match "(?m)^$([regex]::Escape($nsA))\s+127\.0\.0\.1\s+127\.0\.0\.1\s+$port\s+Open"
    }

    It 'resolves names with the resolver of the PowerShell it runs in, and connects from the namespace' {
        # The child pwsh runs in a namespace whose resolver answers from its own hosts file and whose name server is
        # on its own loopback (nothing answers: no query leaves). -NetworkNamespace then connects from $nsA.
        $nsR = "stns-ns-$PID-r"
        $hadNetnsDir = Test-Path /etc/netns
        try {
            New-TestNetworkNamespace $nsR
            New-Item -ItemType Directory -Force "/etc/netns/$nsR" | Out-Null
            Set-Content "/etc/netns/$nsR/hosts" "127.0.0.1 only-here.socktools.test"
            Set-Content "/etc/netns/$nsR/resolv.conf" "nameserver 127.0.0.1`noptions timeout:1 attempts:1"
            $out = Invoke-Child "Test-SockPort only-here.socktools.test, no-such-host.invalid $port -NetworkNamespace /run/netns/$nsA -TimeoutSeconds 3" -Launcher @('ip', 'netns', 'exec', $nsR)
            $results = @(Get-Objects $out)
            $results | Should -HaveCount 2
            $results[0].Status | Should -Be 'Open' -Because 'the name resolved here and the listener answered there'
            $results[0].NetworkNamespace | Should -Be $nsA
            $results[1].Status | Should -Be 'NameResolutionFailed'
            $results[1].Message | Should -Match "resolved by this host's resolver, not inside network namespace $([regex]::Escape($nsA))"
        }
        finally {
            Remove-TestNetworkNamespace $nsR
            Remove-Item "/etc/netns/$nsR" -Recurse -Force -ErrorAction SilentlyContinue
            if (-not $hadNetnsDir) { Remove-Item /etc/netns -Force -ErrorAction SilentlyContinue }
        }
    }

    It 'warns once that a namespace''s own resolver files are not read' {
        $hadNetnsDir = Test-Path /etc/netns
        try {
            New-Item -ItemType Directory -Force "/etc/netns/$nsB" | Out-Null
            Set-Content "/etc/netns/$nsB/resolv.conf" "nameserver 127.0.0.1"
            $null = Test-SockPort localhost, localhost $port -NetworkNamespace $nsB -WarningVariable warned -WarningAction SilentlyContinue
            $warned | Should -HaveCount 1
            "$warned" | Should -Match ([regex]::Escape("/etc/netns/$nsB/resolv.conf"))
            $null = Test-SockPort 127.0.0.1 $port -NetworkNamespace $nsB -WarningVariable quiet -WarningAction SilentlyContinue
            $quiet | Should -BeNullOrEmpty -Because 'an address needs no resolver'
        }
        finally {
            Remove-Item "/etc/netns/$nsB" -Recurse -Force -ErrorAction SilentlyContinue
            if (-not $hadNetnsDir) { Remove-Item /etc/netns -Force -ErrorAction SilentlyContinue }
        }
    }
}

Describe 'Network namespace errors' {
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'names <Value> with <Id> (<Category>), the value as target and what to do' -ForEach @(
        @{ Value = 'stns-no-such-namespace'; Id = 'NetworkNamespaceNotFound'; Category = 'ObjectNotFound' }
        @{ Value = '/proc/self/ns/mnt'; Id = 'NotANetworkNamespace'; Category = 'InvalidArgument' }
        @{ Value = '/etc/hostname'; Id = 'NotANetworkNamespace'; Category = 'InvalidArgument' }
        @{ Value = 'net:[1]'; Id = 'NetworkNamespaceNotFound'; Category = 'ObjectNotFound' }
        @{ Value = '/run/netns/stns-no-such-namespace'; Id = 'NetworkNamespaceNotFound'; Category = 'ObjectNotFound' }
    ) {
        foreach ($command in { Get-SockListener -NetworkNamespace $Value }, { Get-SockConnection -NetworkNamespace $Value }, { Watch-SockState -NetworkNamespace $Value -TimeoutSeconds 1 }, { Test-SockPort 127.0.0.1 80 -NetworkNamespace $Value }) {
            $e = { & $command -ErrorAction Stop } | Should -Throw -PassThru
            $e.FullyQualifiedErrorId | Should -BeLike "SockTools.$Id,*"
            $e.CategoryInfo.Category | Should -Be $Category
            $e.TargetObject | Should -Be $Value
            $e.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
    }

    It 'refuses -NetworkNamespace and -AllNetworkNamespaces together, as parameter sets do' {
        { Get-SockListener -NetworkNamespace $nsA -AllNetworkNamespaces -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet,SockTools.Commands.GetSockListenerCommand'
    }

    It 'says that entering needs CAP_SYS_ADMIN, and still reads PowerShell''s own namespace without it' {
        $out = Invoke-Child "Get-SockListener -NetworkNamespace $nsA; Get-SockListener -AllNetworkNamespaces; Get-SockConnection -NetworkNamespace /proc/self/ns/net -Port $port; 'done'" -Launcher @('setpriv', '--bounding-set=-sys_admin', '--inh-caps=-sys_admin', '--')
        $errors = Get-Errors $out
        $errors | Should -HaveCount 2
        foreach ($line in $errors) {
            $line | Should -Match '^ERROR: SockTools\.NetworkNamespaceAccessDenied,.* \| PermissionDenied \| '
            $line | Should -Match 'CAP_SYS_ADMIN'
        }
        $errors[0] | Should -Match ([regex]::Escape("| $nsA |"))
        $out | Should -Contain 'OBJECT: "done"'
    }
}

Describe 'Tab completion of -NetworkNamespace' {
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'offers the names ip netns lists, each a safe token' {
        $odd = "stns-ns-$PID-c'x y"
        try {
            New-TestNetworkNamespace $odd
            $typed = "Get-SockListener -NetworkNamespace stns-ns-$PID-"
            $result = TabExpansion2 -inputScript $typed -cursorColumn $typed.Length
            $result.CompletionMatches.ListItemText | Should -Be @($nsA, $nsB, $odd)
            $token = ($result.CompletionMatches | Where-Object ListItemText -eq $odd).CompletionText
            $token | Should -Be "'stns-ns-$PID-c''x y'"
            $parsed = [System.Management.Automation.Language.Parser]::ParseInput("Get-SockListener -NetworkNamespace $token", [ref] $null, [ref] $null)
            $parsed.EndBlock.Statements[0].PipelineElements[0].CommandElements[2].Value | Should -Be $odd
            (Get-SockListener -NetworkNamespace $odd) | Should -BeNullOrEmpty
        }
        finally { Remove-TestNetworkNamespace $odd }
    }
}

Describe 'Tab completion inside the namespaces the command names' {
    BeforeAll {
        function Get-CompletionText([string] $Line) { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText) }
    }
    BeforeEach { if ($skipReason) { Set-ItResult -Skipped -Because $skipReason } }

    It 'offers the ports and owners of the namespace -NetworkNamespace names, and of every one with -AllNetworkNamespaces' {
        Get-CompletionText 'Get-SockConnection -Port ' | Should -Not -Contain "$port" -Because 'the port is only bound here, not listening'
        Get-CompletionText "Get-SockConnection -NetworkNamespace $nsA -Port " | Should -Contain "$port"
        Get-CompletionText "Get-SockListener -NetworkNamespace /run/netns/$nsB -Port " | Should -Contain "$port" -Because 'a path names a namespace too'
        Push-Location /run/netns
        try { Get-CompletionText "Get-SockListener -NetworkNamespace ./$nsB -Port " | Should -Contain "$port" -Because 'a relative path is taken from the current location' }
        finally { Pop-Location }
        Get-CompletionText "Get-SockConnection -AllNetworkNamespaces -Port " | Should -Contain "$port"
        Get-CompletionText "Get-SockConnection -NetworkNamespace $nsA -ProcessId " | Should -Be @("$($peerA.Id)") -Because 'only SockPeer A holds a socket in that namespace'
        Get-CompletionText "Get-SockConnection -NetworkNamespace $nsA -ProcessName " | Should -Be @('SockPeer')
        Get-CompletionText "Get-SockConnection -NetworkNamespace stns-no-such-$PID -Port " | Should -BeNullOrEmpty -Because 'a namespace that cannot be opened offers nothing, and no error'
    }

    It 'offers the UNIX names of that namespace for -Path, which this host does not have' {
        $name = "@stns-ns-$PID-complete"
        $unixListener = $peerA.Send("unixlisten $name")[0]
        try {
            # A name starting with @ is offered quoted: bare, PowerShell would read it as splatting.
            $token = "'$name'"
            Get-CompletionText "Get-SockConnection -Path '@stns-ns-$PID-" | Should -Not -Contain $token
            Get-CompletionText "Get-SockConnection -NetworkNamespace $nsA -Path '@stns-ns-$PID-" | Should -Be @($token)
            Get-CompletionText "Get-SockListener -AllNetworkNamespaces -Path '@stns-ns-$PID-" | Should -Be @($token)
        }
        finally { $null = $peerA.Send("close $unixListener") }
    }
}
