# Get-SockConnection -MemoryInfo: each socket's memory accounting and drop counter (sk_meminfo, what ss -m shows).
# A UDP socket with a tiny receive buffer is flooded until it drops datagrams; the counter must grow, and agree
# with ss.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    $memoryNames = 'ReceiveBufferUsedBytes', 'ReceiveBufferLimitBytes', 'SendBufferUsedBytes', 'SendBufferLimitBytes',
        'ForwardAllocBytes', 'SendQueuedBytes', 'OptionMemoryBytes', 'BacklogBytes', 'Drops'

    $receiver = Start-SockPeer
    $udpId, $udpPort = $receiver.Send('udp 127.0.0.1 0')
    $udpPort = [int] $udpPort
    $null = $receiver.Send("rcvbuf $udpId 1") # the kernel's smallest receive buffer; nobody reads it

    function Send-Flood([int] $Count) {
        $sender = [System.Net.Sockets.UdpClient]::new()
        try {
            $payload = [byte[]]::new(1000)
            for ($i = 0; $i -lt $Count; $i++) { $null = $sender.Send($payload, $payload.Length, '127.0.0.1', $udpPort) }
        }
        finally { $sender.Dispose() }
    }

    function Get-SsMemory([string] $Filter, [string] $Options) {
        # skmem:(r0,rb4608,t0,tb212992,f0,w0,o0,bl0,d12)
        $ss = Get-Command ss -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $ss) { return $null }
        $text = (& $ss.Source $Options $Filter) -join ' '
        if ($text -notmatch 'skmem:\(r(\d+),rb(\d+),t(\d+),tb(\d+),f(\d+),w(\d+),o(\d+),bl(\d+),d(\d+)\)') { return $null }
        [pscustomobject]@{ Used = [long] $Matches[1]; Limit = [long] $Matches[2]; SendLimit = [long] $Matches[4]; Drops = [long] $Matches[9] }
    }
}

AfterAll {
    if ($receiver) { $receiver.Kill() }
}

Describe 'Drops of a UDP socket that cannot keep up' {
    It 'counts datagrams dropped for a full receive buffer, and the count grows with every flood' {
        Send-Flood 200
        $first = Get-SockConnection -Protocol Udp -LocalPort $udpPort -MemoryInfo
        $first | Should -HaveCount 1
        $first.Drops | Should -BeGreaterThan 0
        $first.ReceiveBufferUsedBytes | Should -BeGreaterThan 0 -Because 'what did fit waits, unread'
        $first.ReceiveBufferUsedBytes | Should -BeLessOrEqual ($first.ReceiveBufferLimitBytes + 2048)
        Send-Flood 200
        $second = Get-SockConnection -Protocol Udp -LocalPort $udpPort -MemoryInfo
        $second.Drops | Should -BeGreaterThan $first.Drops
        $second.Drops - $first.Drops | Should -BeLessOrEqual 200
    }

    It 'agrees with ss -m on the drop counter and the buffer limits' {
        $ours = Get-SockConnection -Protocol Udp -LocalPort $udpPort -MemoryInfo
        $ss = Get-SsMemory "sport = :$udpPort" '-uamnH'
        if (-not $ss) { Set-ItResult -Skipped -Because 'ss is not installed or prints no skmem'; return }
        $ours.Drops | Should -Be $ss.Drops -Because 'nothing was sent between the two reads'
        $ours.ReceiveBufferLimitBytes | Should -Be $ss.Limit
        $ours.ReceiveBufferUsedBytes | Should -Be $ss.Used
        $ours.SendBufferLimitBytes | Should -Be $ss.SendLimit
    }
}

Describe 'Memory properties exist only on entries that asked for them' {
    It 'adds nothing without -MemoryInfo: no property, no export column' {
        $plain = Get-SockConnection -Protocol Udp -LocalPort $udpPort
        foreach ($name in $memoryNames) { $plain.PSObject.Properties[$name] | Should -BeNullOrEmpty -Because $name }
        $columns = (($plain | ConvertTo-Csv)[0] -split ',') -replace '"'
        foreach ($name in $memoryNames) { $columns | Should -Not -Contain $name }
    }

    It 'exports every memory property with -MemoryInfo, beside the TCP internals with -TcpInfo, and keeps them through CLIXML' {
        $with = Get-SockConnection -Protocol Udp -LocalPort $udpPort -MemoryInfo
        $columns = (($with | ConvertTo-Csv)[0] -split ',') -replace '"'
        foreach ($name in $memoryNames + 'Protocol', 'ProcessId') { $columns | Should -Contain $name }
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($with))
        $copy.Drops | Should -Be $with.Drops
        ($copy | ConvertTo-Csv)[0] | Should -Be ($with | ConvertTo-Csv)[0]

        $both = @(Get-SockConnection -Protocol Udp -LocalPort $udpPort -MemoryInfo -TcpInfo)[0]
        $bothColumns = (($both | ConvertTo-Csv)[0] -split ',') -replace '"'
        $bothColumns | Should -Contain 'Drops'
        $bothColumns | Should -Contain 'RoundTripTimeMs'
        $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($both))
        # Every column, each once. (Their order differs: a live object lists the members of its later extra type
        # name first, a copy the properties of its first one; with one extra type name the two agree, see above.)
        $copyColumns = (($copy | ConvertTo-Csv)[0] -split ',') -replace '"'
        @($copyColumns | Sort-Object) | Should -Be @($bothColumns | Sort-Object)
        $copyColumns | Should -HaveCount @($copyColumns | Sort-Object -Unique).Count
        $copy.Drops | Should -Be $both.Drops
    }

    It 'reads TCP and UNIX sockets too' {
        $server = Start-SockPeer
        $path = Join-Path ([IO.Path]::GetTempPath()) "unixown-memory-$PID.sock"
        try {
            $listenerId, $port = $server.Send('listen 127.0.0.1 0')
            $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', [int] $port)
            $null = $server.Send("accept $listenerId")
            $tcp = Get-SockConnection -Port $port -State Established -MemoryInfo
            $tcp | Should -HaveCount 2
            $tcp | ForEach-Object { $_.SendBufferLimitBytes | Should -BeGreaterThan 0; $_.Drops | Should -Not -BeNullOrEmpty }
            $client.Dispose()

            $null = $server.Send("unixdgram $path")
            $unix = Get-SockConnection -Path $path -MemoryInfo
            $unix.ReceiveBufferLimitBytes | Should -BeGreaterThan 0
            $unix.Drops | Should -Be 0
            $unix.PSObject.TypeNames | Should -Contain 'SockTools.SocketEntry#MemoryInfo'
            $unix | Should -BeOfType SockTools.UnixSocketEntry
        }
        finally {
            $server.Kill()
            if (Test-Path $path) { Remove-Item $path -Force }
        }
    }

    It 'stays $null under /proc/net, which cannot show it, and says so in -Verbose' {
        $env:SOCKTOOLS_READER = 'proc'
        try {
            $records = Get-SockConnection -Protocol Udp -LocalPort $udpPort -MemoryInfo -Verbose 4>&1
            $entry = $records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
            $entry.Drops | Should -BeNullOrEmpty
            $entry.ReceiveBufferLimitBytes | Should -BeNullOrEmpty
            "$($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -Match 'Socket memory and drops need netlink'
        }
        finally { Remove-Item Env:SOCKTOOLS_READER }
    }
}
