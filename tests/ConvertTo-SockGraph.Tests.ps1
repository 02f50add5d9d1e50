# ConvertTo-SockGraph against real connections between SockPeer processes: exactly the expected edges,
# DOT that Graphviz renders, and Mermaid that passes a structural check (there is no Mermaid CLI here).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    function Test-MermaidSyntax {
        # The problems of a Mermaid flowchart as ConvertTo-SockGraph writes it (none: an empty list): a ```mermaid
        # fence, a 'flowchart LR' or 'graph LR' header, nodes declared once with valid ids and quoted labels
        # whose only syntax characters are entity codes and <br/>, edges and classes that name declared nodes.
        param([string[]] $Lines)
        $problems = [System.Collections.Generic.List[string]]::new()
        if ($Lines[0] -ne '```mermaid' -or $Lines[-1] -ne '```') { $problems.Add('not fenced as ```mermaid ... ```') }
        $body = @($Lines | Select-Object -Skip 1 | Select-Object -SkipLast 1)
        if ($body[0] -notmatch '^(flowchart|graph) (LR|RL|TB|TD|BT)$') { $problems.Add("header: $($body[0])") }
        $id = '[A-Za-z][A-Za-z0-9_]*'
        $shapes = @{ '[' = ']'; '([' = '])'; '{{' = '}}'; '[(' = ')]'; '((' = '))' }
        $nodes = @{}
        $classes = @{}
        $checkLabel = {
            param($label, $where)
            $plain = $label -replace '#(\d+|[a-z]+);', '' -replace '<br/>', ''
            if ($plain -match '["#<>`]') { $problems.Add("unescaped syntax character in $where label: $label") }
        }
        foreach ($line in $body | Select-Object -Skip 1) {
            $text = $line.Trim()
            if ($text -match "^(?<id>$id)(?<open>\(\[|\{\{|\[\(|\(\(|\[)`"(?<label>[^`"]*)`"(?<close>\]\)|\}\}|\)\]|\)\)|\])$") {
                if ($shapes[$Matches.open] -ne $Matches.close) { $problems.Add("shape $($Matches.open) closed by $($Matches.close): $text") }
                if ($nodes.ContainsKey($Matches.id)) { $problems.Add("node $($Matches.id) declared twice") }
                $nodes[$Matches.id] = $Matches.label
                & $checkLabel $Matches.label "node $($Matches.id)"
            }
            elseif ($text -match "^(?<from>$id) -->\|`"(?<label>[^`"]*)`"\| (?<to>$id)$") {
                foreach ($end in $Matches.from, $Matches.to) { if (-not $nodes.ContainsKey($end)) { $problems.Add("edge to undeclared node $end") } }
                & $checkLabel $Matches.label 'edge'
            }
            elseif ($text -match '^classDef (?<name>\w+) [\w:#;, -]+$') { $classes[$Matches.name] = $true }
            elseif ($text -match "^class (?<ids>$id(,$id)*) (?<name>\w+)$") {
                foreach ($node in $Matches.ids -split ',') { if (-not $nodes.ContainsKey($node)) { $problems.Add("class of undeclared node $node") } }
                if (-not $classes.ContainsKey($Matches.name)) { $problems.Add("class $($Matches.name) used before classDef") }
            }
            else { $problems.Add("not a statement: $text") }
        }
        , $problems.ToArray()
    }

    function Get-DotEdge {
        # 'client(pid) -> server(pid) : label' for each edge of DOT text, nodes named by their label's first two lines.
        param([string[]] $Lines)
        $names = @{}
        foreach ($line in $Lines) {
            if ($line -match '^\s*(n\d+) \[label="(.*)"(, [^\]]*)?\];$') {
                # The id is taken before the -match below, which replaces $Matches.
                $id = $Matches[1]
                $parts = $Matches[2] -split '\\n'
                $names[$id] = if ($parts.Count -gt 1 -and $parts[1] -match '^pids? ') { "$($parts[0])($($parts[1] -replace '^pids? ', ''))" } else { $parts[0] }
            }
        }
        foreach ($line in $Lines) {
            if ($line -match '^\s*(n\d+) -> (n\d+) \[label="(.*)"\];$') { "$($names[$Matches[1]]) -> $($names[$Matches[2]]) : $($Matches[3])" }
        }
    }

    # A server with two clients: client A connects twice, client B once; all accepted.
    $server = Start-SockPeer
    $clientA = Start-SockPeer
    $clientB = Start-SockPeer
    $listenerId, $port = $server.Send('listen 127.0.0.1 0')
    foreach ($client in $clientA, $clientA, $clientB) {
        $null = $client.Send("connect 127.0.0.1 $port")
        $null = $server.Send("accept $listenerId")
    }
    Wait-Until { @(Get-SockConnection -Port $port -State Established).Count -eq 6 } -TimeoutSeconds 20 -Because 'six established sockets'
    $expected = @(
        "SockPeer($($clientA.Id)) -> SockPeer($($server.Id)) : $port x2"
        "SockPeer($($clientB.Id)) -> SockPeer($($server.Id)) : $port"
    ) | Sort-Object
    $dotAvailable = [bool] (Get-Command dot -ErrorAction Ignore)
}

AfterAll {
    foreach ($peer in $server, $clientA, $clientB) { if ($peer) { $peer.Kill() } }
}

Describe 'ConvertTo-SockGraph on real connections' {
    It 'joins both ends of each loopback connection into one edge from client to server, counted' {
        $dot = @(Get-SockConnection -Port $port -State Established | ConvertTo-SockGraph -Format Dot)
        @(Get-DotEdge $dot | Sort-Object) | Should -Be $expected
        ($dot -join "`n") | Should -Match ([regex]::Escape("SockPeer\npid $($server.Id)\nlistens $port"))
        ($dot -join "`n") | Should -Not -Match 'unknown process' -Because 'every end has its owner in the input'
    }

    It 'knows the server from a listener in the input too' {
        $sockets = @(Get-SockListener -Port $port) + @(Get-SockConnection -Port $port -State Established)
        @(Get-DotEdge ($sockets | ConvertTo-SockGraph -Format Dot) | Sort-Object) | Should -Be $expected
    }

    It 'writes DOT that Graphviz renders' {
        if (-not $dotAvailable) { Set-ItResult -Skipped -Because 'Graphviz (dot) is not installed: apt-get install graphviz'; return }
        $svg = Join-Path $TestDrive 'map.svg'
        Get-SockConnection -Port $port -State Established | ConvertTo-SockGraph -Format Dot | dot -Tsvg -o $svg
        $LASTEXITCODE | Should -Be 0
        $text = Get-Content -Raw $svg
        $text | Should -Match '<svg'
        $text | Should -Match "pid $($server.Id)"
        $text | Should -Match "$port x2"
    }

    It 'writes Mermaid that passes the syntax check, with the same edges' {
        $lines = @(Get-SockConnection -Port $port -State Established | ConvertTo-SockGraph)
        Test-MermaidSyntax $lines | Should -BeNullOrEmpty
        $labels = @{}
        foreach ($line in $lines) { if ($line -match '^\s*(n\d+)\(?\["([^"]*)"\]\)?$') { $labels[$Matches[1]] = ($Matches[2] -split '<br/>')[1] } }
        $edges = foreach ($line in $lines) { if ($line -match '^\s*(n\d+) -->\|"([^"]*)"\| (n\d+)$') { "$($labels[$Matches[1]]) -> $($labels[$Matches[3]]) : $($Matches[2])" } }
        @($edges | Sort-Object) | Should -Be (@("pid $($clientA.Id) -> pid $($server.Id) : $port x2", "pid $($clientB.Id) -> pid $($server.Id) : $port") | Sort-Object)
    }

    It 'draws the same graph from the deserialized sockets of a job' {
        $back = Start-Job { param($m, $p) Import-Module $m; Get-SockConnection -Port $p -State Established } -ArgumentList $env:SOCKTOOLS_TEST_MODULE, $port |
            Receive-Job -Wait -AutoRemoveJob
        $back[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.SockTools.SocketEntry'
        @(Get-DotEdge ($back | ConvertTo-SockGraph -Format Dot) | Sort-Object) | Should -Be $expected
    }

    It 'leaves out loopback peers with -ExcludeLoopback and keeps them with -ExcludeRemote' {
        @(Get-DotEdge (Get-SockConnection -Port $port -State Established | ConvertTo-SockGraph -Format Dot -ExcludeLoopback)) | Should -BeNullOrEmpty
        @(Get-DotEdge (Get-SockConnection -Port $port -State Established | ConvertTo-SockGraph -Format Dot -ExcludeRemote) | Sort-Object) | Should -Be $expected
    }

    It 'makes one node per process name with -GroupBy ProcessName' {
        $dot = @(Get-SockConnection -Port $port -State Established | ConvertTo-SockGraph -Format Dot -GroupBy ProcessName)
        $pids = @($server.Id, $clientA.Id, $clientB.Id) | Sort-Object
        @(Get-DotEdge $dot) | Should -Be "SockPeer($($pids -join ', ')) -> SockPeer($($pids -join ', ')) : $port x3"
    }

    It 'makes the other end of a loopback connection outside the input the unknown process' {
        $dot = @(Get-SockConnection -Port $port -State Established -ProcessId $clientB.Id | ConvertTo-SockGraph -Format Dot)
        @(Get-DotEdge $dot) | Should -Be "SockPeer($($clientB.Id)) -> unknown process : $port"
    }

    It 'reports what is not a socket as SockTools.NotASocket and draws the rest' {
        $out = @(@(Get-SockConnection -Port $port -State Established) + 'not a socket' | ConvertTo-SockGraph -Format Dot -ErrorVariable problems -ErrorAction SilentlyContinue)
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.NotASocket,*'
        $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-DotEdge $out | Sort-Object) | Should -Be $expected
    }
}

Describe 'ConvertTo-SockGraph labels' {
    BeforeAll {
        # Sockets as remoting would return them, owned by processes with names that are syntax in both formats.
        $nasty = 'my "app" [x] <y> #1 & \ {z} |w|'
        function New-Socket($local, $remote, $processId, $name, $state = 'Established') {
            [pscustomobject]@{ Protocol = 'Tcp'; State = $state; LocalAddress = '127.0.0.1'; LocalPort = $local; RemoteAddress = '127.0.0.1'; RemotePort = $remote; ProcessId = $processId; ProcessName = $name }
        }
        $sockets = @(
            New-Socket 8000 0 20 $nasty 'Listen'
            New-Socket 8000 40001 20 $nasty
            New-Socket 40001 8000 10 'cli ent'
        )
        $sockets | ForEach-Object { $_.RemoteAddress = if ($_.State -eq 'Listen') { '0.0.0.0' } else { '127.0.0.1' } }
    }

    It 'escapes Mermaid labels so any process name passes the syntax check' {
        $lines = @($sockets | ConvertTo-SockGraph)
        Test-MermaidSyntax $lines | Should -BeNullOrEmpty
        ($lines -join "`n") | Should -Match ([regex]::Escape('my #quot;app#quot; [x] #lt;y#gt; #35;1 #amp; \ {z} |w|'))
    }

    It 'escapes DOT labels so Graphviz renders any process name as text' {
        $dot = @($sockets | ConvertTo-SockGraph -Format Dot)
        @(Get-DotEdge $dot) | Should -Be ('cli ent(10) -> ' + ($nasty -replace '\\', '\\' -replace '"', '\"') + '(20) : 8000')
        if (-not $dotAvailable) { Set-ItResult -Skipped -Because 'Graphviz (dot) is not installed: apt-get install graphviz'; return }
        $svg = $dot | dot -Tsvg
        $LASTEXITCODE | Should -Be 0
        ($svg -join "`n") | Should -Match ([regex]::Escape('my &quot;app&quot; [x] &lt;y&gt; #1 &amp; \ {z} |w|'))
    }

    It 'accepts its own mermaid as the syntax check would, and the check can fail' {
        Test-MermaidSyntax @('```mermaid', 'flowchart LR', '    n1["a"]', '    n1 -->|"1"| n2', '```') | Should -Be 'edge to undeclared node n2'
        Test-MermaidSyntax @('```mermaid', 'flowchart LR', '    n1["a"b"]', '```') | Should -Not -BeNullOrEmpty
        Test-MermaidSyntax @('```mermaid', 'flowchart LR', '    n1["a#b"]', '```') | Should -Not -BeNullOrEmpty
    }
}

Describe 'ConvertTo-SockGraph with remote peers' {
    BeforeAll {
        # Sockets as remoting would return them: a process of this computer talking to a documentation address
        # (never contacted, the objects are made here) and to a loopback service of its own computer.
        function New-Socket($local, $remoteAddress, $remote, $processId, $name, $localAddress = '127.0.0.1') {
            [pscustomobject]@{ Protocol = 'Tcp'; State = 'Established'; LocalAddress = $localAddress; LocalPort = $local; RemoteAddress = $remoteAddress; RemotePort = $remote; ProcessId = $processId; ProcessName = $name }
        }
        $sockets = @(
            New-Socket 40100 '192.0.2.10' 5432 10 'app' '10.0.0.5'
            New-Socket 40101 '192.0.2.10' 5432 10 'app' '10.0.0.5'
            New-Socket 40102 '127.0.0.1' 6379 10 'app'
            New-Socket 6379 '127.0.0.1' 40102 30 'redis'
        )
    }

    It 'draws a remote host as a node of its own, the edges counted, and the loopback connection joined' {
        @(Get-DotEdge ($sockets | ConvertTo-SockGraph -Format Dot) | Sort-Object) | Should -Be (@('app(10) -> 192.0.2.10 : 5432 x2', 'app(10) -> redis(30) : 6379') | Sort-Object)
        $dot = @($sockets | ConvertTo-SockGraph -Format Dot)
        $dot | Should -Contain '    n3 [label="192.0.2.10", shape=ellipse];'
        $mermaid = @($sockets | ConvertTo-SockGraph)
        Test-MermaidSyntax $mermaid | Should -BeNullOrEmpty
        $mermaid | Should -Contain '    n3{{"192.0.2.10"}}'
    }

    It 'leaves out the remote host with -ExcludeRemote and the loopback connection with -ExcludeLoopback' {
        @(Get-DotEdge ($sockets | ConvertTo-SockGraph -Format Dot -ExcludeRemote)) | Should -Be 'app(10) -> redis(30) : 6379'
        @(Get-DotEdge ($sockets | ConvertTo-SockGraph -Format Dot -ExcludeLoopback)) | Should -Be 'app(10) -> 192.0.2.10 : 5432 x2'
        @(Get-DotEdge ($sockets | ConvertTo-SockGraph -Format Dot -ExcludeLoopback -ExcludeRemote)) | Should -BeNullOrEmpty
    }
}

Describe 'ConvertTo-SockGraph with UNIX sockets' {
    BeforeAll {
        # A UNIX server with two clients: client A connects twice, client B once; all accepted.
        $unixDir = Join-Path ([IO.Path]::GetTempPath()) "sockgraph-$PID-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $null = New-Item -ItemType Directory $unixDir
        $unixPath = Join-Path $unixDir 'app.sock'
        $unixServer = Start-SockPeer
        $unixA = Start-SockPeer
        $unixB = Start-SockPeer
        $unixListener = $unixServer.Send("unixlisten $unixPath")[0]
        foreach ($client in $unixA, $unixA, $unixB) {
            $null = $client.Send("unixconnect $unixPath")
            $null = $unixServer.Send("unixaccept $unixListener")
        }
        $pids = $unixServer.Id, $unixA.Id, $unixB.Id
        $unixExpected = @(
            "SockPeer($($unixA.Id)) -> SockPeer($($unixServer.Id)) : unix $unixPath x2"
            "SockPeer($($unixB.Id)) -> SockPeer($($unixServer.Id)) : unix $unixPath"
        ) | Sort-Object
        # Only the edges of this test's path: a .NET process also holds UNIX sockets of its own (diagnostics).
        function Get-UnixEdge { param([string[]] $Dot) @(Get-DotEdge $Dot | Where-Object { $_ -like "* : unix $unixPath*" } | Sort-Object) }
    }
    AfterAll {
        foreach ($peer in $unixServer, $unixA, $unixB) { if ($peer) { $peer.Kill() } }
        Remove-Item -Recurse -Force $unixDir -ErrorAction Ignore
    }

    It 'joins both ends of each UNIX connection by inode and peer inode, labelled with the path, counted' {
        $dot = @(Get-SockConnection -Protocol Unix -ProcessId $pids | ConvertTo-SockGraph -Format Dot -ErrorVariable bad)
        $bad | Should -BeNullOrEmpty
        Get-UnixEdge $dot | Should -Be $unixExpected
        # The server's node lists the path among what it listens on (a .NET process also listens on its diagnostics socket).
        ($dot -join "`n") | Should -Match ([regex]::Escape("SockPeer\npid $($unixServer.Id)\nlistens ") + '[^"]*' + [regex]::Escape("unix $unixPath"))
    }

    It 'draws the client end from the peer owner the reader found when only the server end is piped' {
        $serverSide = @(Get-SockConnection -Protocol Unix -Path $unixPath)
        $serverSide.Count | Should -Be 4 -Because 'the listener and three accepted sockets carry the path'
        Get-UnixEdge ($serverSide | ConvertTo-SockGraph -Format Dot) | Should -Be $unixExpected
    }

    It 'draws the same UNIX edges from deserialized sockets, in Mermaid too' {
        $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize(@(Get-SockConnection -Protocol Unix -ProcessId $pids)))
        Get-UnixEdge ($back | ConvertTo-SockGraph -Format Dot) | Should -Be $unixExpected
        $mermaid = @(Get-SockConnection -Protocol Unix -ProcessId $pids | ConvertTo-SockGraph)
        Test-MermaidSyntax $mermaid | Should -BeNullOrEmpty
        ($mermaid -join "`n") | Should -Match ([regex]::Escape("unix $unixPath x2"))
    }

    It 'renders UNIX edges with Graphviz' {
        if (-not $dotAvailable) { Set-ItResult -Skipped -Because 'Graphviz (dot) is not installed: apt-get install graphviz'; return }
        $svg = (Get-SockConnection -Protocol Unix -ProcessId $pids | ConvertTo-SockGraph -Format Dot) -join "`n" | & dot -Tsvg
        $LASTEXITCODE | Should -Be 0
        ($svg -join "`n") | Should -Match '<svg'
    }
}
