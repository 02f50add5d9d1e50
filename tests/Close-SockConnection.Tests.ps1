# Close-SockConnection against connections between SockPeer processes: what is closed, what its owner and its
# peer see (SockPeer's read reports ConnectionAborted, ConnectionReset or data), what is left alone, and the
# errors when the kernel or the rules refuse. Closing needs CAP_NET_ADMIN: those tests skip without root.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest
    $modulePath = Join-Path (Get-Module SockTools).ModuleBase 'SockTools.psd1'
    $isRoot = Test-IsRoot

    function Start-Pwsh([string] $Command, [string] $InputText) {
        # A child pwsh (the one running these tests) that may prompt, with stdin fed from $InputText; returns its output lines.
        $exe = [Environment]::ProcessPath
        $info = [Diagnostics.ProcessStartInfo]::new($exe)
        if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $info.ArgumentList.Add([Reflection.Assembly]::GetEntryAssembly().Location) }
        foreach ($argument in '-NoProfile', '-Command', "Import-Module '$modulePath'; `$PSStyle.OutputRendering = 'PlainText'; $Command") { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardInput = $info.RedirectStandardOutput = $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $child = [Diagnostics.Process]::Start($info)
        $stdout = $child.StandardOutput.ReadToEndAsync()
        $stderr = $child.StandardError.ReadToEndAsync()
        $child.StandardInput.Write($InputText)
        $child.StandardInput.Close()
        if (-not $child.WaitForExit(60000)) { $child.Kill($true); throw "child pwsh did not end: $Command" }
        @(($stdout.Result + $stderr.Result) -split '\r?\n')
    }

    function New-Connections([string] $Address, [int] $Count = 2) {
        # A server with a listener and $Count accepted connections from a client process.
        $server = Start-SockPeer
        $client = Start-SockPeer
        $listenerId, $port = $server.Send("listen $Address 0")
        $pairs = foreach ($i in 1..$Count) {
            $clientId, $clientPort = $client.Send("connect $Address $port")
            $serverId = $server.Send("accept $listenerId")[0]
            [pscustomobject]@{ ClientId = $clientId; ServerId = $serverId; ClientPort = [int] $clientPort }
        }
        [pscustomobject]@{ Server = $server; Client = $client; Port = [int] $port; Pairs = @($pairs) }
    }

    function Get-ClientSide($Scene, $Pair) { Get-SockConnection -LocalPort $Pair.ClientPort -RemotePort $Scene.Port -Protocol Tcp }
}

Describe 'Close-SockConnection closes one <Family> connection and leaves the other' -ForEach @(
    @{ Family = 'IPv4'; Address = '127.0.0.1' }
    @{ Family = 'IPv6'; Address = '::1' }
) {
    BeforeAll { $scene = New-Connections $Address }
    AfterAll { $scene.Server.Kill(); $scene.Client.Kill() }

    It '-WhatIf lists both connections and closes neither' {
        $out = Start-Pwsh "Get-SockConnection -RemotePort $($scene.Port) -ProcessId $($scene.Client.Id) | Close-SockConnection -WhatIf" ''
        $endpoint = { param($p) if ($Address -eq '::1') { "[::1]:$p" } else { "127.0.0.1:$p" } }
        foreach ($pair in $scene.Pairs) {
            $target = "Tcp Established $(& $endpoint $pair.ClientPort) -> $(& $endpoint $scene.Port) (SockPeer, pid $($scene.Client.Id))"
            $out | Should -Contain "What if: Performing the operation `"Close (abort)`" on target `"$target`"."
            (Get-ClientSide $scene $pair).State | Should -Be 'Established'
            $scene.Client.Send("read $($pair.ClientId) 200") | Should -Be 'TimedOut' -Because 'the connection is open and quiet'
        }
    }

    It 'closes the piped connection: its owner sees the abort, its peer the reset, and the other one still carries data' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $closed, $kept = $scene.Pairs
        $out = Get-ClientSide $scene $closed | Close-SockConnection -Confirm:$false -PassThru -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $out | Should -HaveCount 1
        $out | Should -BeOfType ([SockTools.SocketEntry])
        $out.LocalPort | Should -Be $closed.ClientPort
        $out.ProcessId | Should -Be $scene.Client.Id

        $scene.Client.Send("read $($closed.ClientId) 2000") | Should -Be 'ConnectionAborted'
        $scene.Server.Send("read $($closed.ServerId) 2000") | Should -Be 'ConnectionReset'
        Get-ClientSide $scene $closed | Should -BeNullOrEmpty
        & ss -tanH "( sport = :$($closed.ClientPort) and dport = :$($scene.Port) )" | Should -BeNullOrEmpty -Because 'ss, the oracle, no longer lists it either'

        $null = $scene.Server.Send("send $($kept.ServerId) 1000")
        $scene.Client.Send("read $($kept.ClientId) 2000") | Should -Be '1000'
        (Get-ClientSide $scene $kept).State | Should -Be 'Established'
        $scene.Server.Process.HasExited | Should -BeFalse
        $scene.Client.Process.HasExited | Should -BeFalse -Because 'the owner lives on'
    }

    It 'refuses the listener without -Force, closes it with -Force, and leaves its accepted connection open' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $null = Close-SockConnection -LocalPort $scene.Port -State Listen -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.ListenerNeedsForce,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err[0].TargetObject.State | Should -Be 'Listen'
        $err[0].TargetObject.LocalPort | Should -Be $scene.Port
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        Get-SockListener -Port $scene.Port | Should -HaveCount 1

        $out = Close-SockConnection -LocalPort $scene.Port -State Listen -Force -Confirm:$false -PassThru
        $out.State | Should -Be 'Listen'
        Get-SockListener -Port $scene.Port | Should -BeNullOrEmpty
        (Test-SockPort $Address $scene.Port).Status | Should -Be 'Refused'
        $kept = $scene.Pairs[1]
        (Get-ClientSide $scene $kept).State | Should -Be 'Established' -Because 'closing a listener does not touch the connections it accepted'
    }
}

Describe 'Close-SockConnection with filters' {
    BeforeAll { $scene = New-Connections '127.0.0.1' 3 }
    AfterAll { $scene.Server.Kill(); $scene.Client.Kill() }

    It 'closes what the filters find, both ends of one connection, and nothing else' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $target = $scene.Pairs[0]
        # -Port matches the client side (local port) and the server side (remote port); the reset the first one
        # closed sends ends the other, usually before its turn comes (then it is already gone, not closed again).
        $out = Close-SockConnection -Port $target.ClientPort -Confirm:$false -PassThru -ErrorVariable err
        $err | Should -BeNullOrEmpty
        @($out).Count | Should -BeIn 1, 2
        foreach ($entry in $out) { $entry.LocalPort, $entry.RemotePort | Should -Contain $target.ClientPort }
        Get-SockConnection -Port $target.ClientPort | Should -BeNullOrEmpty
        foreach ($other in $scene.Pairs[1..2]) { (Get-ClientSide $scene $other).State | Should -Be 'Established' }
    }

    It 'refuses to run without a filter or piped sockets, closing nothing' {
        $e = { Close-SockConnection -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SockTools.CloseTargetMissing,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.ErrorDetails.RecommendedAction | Should -Match '-State Connected'
        (Get-ClientSide $scene $scene.Pairs[1]).State | Should -Be 'Established'
    }

    It 'refuses filters next to piped sockets, naming them, and closes nothing' {
        $e = { Get-ClientSide $scene $scene.Pairs[1] | Close-SockConnection -State Established -RemotePort 1 -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'SockTools.FiltersWithPipedSockets,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match '-State, -RemotePort cannot be given with piped sockets'
        (Get-ClientSide $scene $scene.Pairs[1]).State | Should -Be 'Established'
    }

    It 'takes processes from Get-Process as the -ProcessId filter' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $out = Get-Process -Id $scene.Client.Id | Close-SockConnection -State Established -Confirm:$false -PassThru
        @($out.LocalPort | Sort-Object) | Should -Be @($scene.Pairs[1..2].ClientPort | Sort-Object)
        Get-SockConnection -ProcessId $scene.Client.Id | Should -BeNullOrEmpty
        (Get-SockConnection -ProcessId $scene.Server.Id -State Listen).LocalPort | Should -Be $scene.Port
    }
}

Describe 'Close-SockConnection asks, one socket at a time' {
    BeforeAll { $scene = New-Connections '127.0.0.1' }
    AfterAll { $scene.Server.Kill(); $scene.Client.Kill() }

    It 'closes the socket answered Yes and keeps the one answered No' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $first, $second = $scene.Pairs
        $out = Start-Pwsh "Get-SockConnection -RemotePort $($scene.Port) -ProcessId $($scene.Client.Id) | Sort-Object LocalPort | Close-SockConnection -PassThru | ForEach-Object { 'CLOSED ' + `$_.LocalPort }" "y`nn`n"
        ($out -join "`n") | Should -Match 'Are you sure you want to perform this action\?'
        @($out | Where-Object { $_ -match '^CLOSED ' }) | Should -Be @("CLOSED $(($first, $second | Sort-Object ClientPort)[0].ClientPort)")
        $kept = ($first, $second | Sort-Object ClientPort)[1]
        (Get-ClientSide $scene $kept).State | Should -Be 'Established'
    }
}

Describe 'Close-SockConnection with UDP' -ForEach @(
    @{ Family = 'IPv4'; Address = '127.0.0.1' }
    @{ Family = 'IPv6'; Address = '::1' }
) {
    BeforeAll {
        $peer = Start-SockPeer
        $boundId, $boundPort = $peer.Send("udp $Address 0")
        $connectedId, $connectedPort = $peer.Send("udpconnect $Address $boundPort")
    }
    AfterAll { $peer.Kill() }

    It 'closes a connected <Family> UDP socket: its owner reads ConnectionAborted' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $out = Get-SockConnection -Protocol Udp -LocalPort $connectedPort | Close-SockConnection -Confirm:$false -PassThru
        $out.State | Should -Be 'Established'
        $peer.Send("read $connectedId 2000") | Should -Be 'ConnectionAborted'
        Get-SockConnection -Protocol Udp -LocalPort $connectedPort | Should -BeNullOrEmpty
    }

    It 'closes a bound <Family> UDP socket (a listener) only with -Force' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $null = Get-SockListener -Protocol Udp -Port $boundPort | Close-SockConnection -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.ListenerNeedsForce,*'
        $err[0].Exception.Message | Should -Match 'stops its server from accepting datagrams'
        Get-SockListener -Protocol Udp -Port $boundPort | Should -HaveCount 1

        $out = Get-SockListener -Protocol Udp -Port $boundPort | Close-SockConnection -Force -Confirm:$false -PassThru
        $out.State | Should -Be 'Unconnected'
        $peer.Send("read $boundId 2000") | Should -Be 'ConnectionAborted'
        Get-SockListener -Protocol Udp -Port $boundPort | Should -BeNullOrEmpty
    }
}

Describe 'Close-SockConnection and sockets that are gone, waiting or only bound' {
    It 'says in -Verbose, not as an error, that a socket is already gone, and leaves it out of -PassThru' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $scene = New-Connections '127.0.0.1' 1
        try {
            $entry = Get-ClientSide $scene $scene.Pairs[0]
            $null = $entry | Close-SockConnection -Confirm:$false
            $out = $entry | Close-SockConnection -Confirm:$false -PassThru -Verbose -ErrorVariable err 4>&1
            $err | Should -BeNullOrEmpty
            @($out | Where-Object { $_ -is [SockTools.SocketEntry] }) | Should -BeNullOrEmpty
            ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Tcp Established 127.0.0.1:$($entry.LocalPort) -> 127.0.0.1:$($scene.Port) (SockPeer, pid $($scene.Client.Id)): it was already gone; nothing to close."
        }
        finally { $scene.Server.Kill(); $scene.Client.Kill() }
    }

    It 'never closes another socket that took the addresses of the one listed' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $first = Start-SockPeer
        $second = Start-SockPeer
        try {
            $port = [int] $first.Send('listen 127.0.0.1 0')[1]
            $old = Get-SockListener -Port $port
            $first.Kill()
            $null = $second.Send("listen 127.0.0.1 $port")
            $new = Get-SockListener -Port $port
            $new.Cookie | Should -Not -Be $old.Cookie
            $out = $old | Close-SockConnection -Force -Confirm:$false -PassThru -Verbose -ErrorVariable err 4>&1
            $err | Should -BeNullOrEmpty
            @($out | Where-Object { $_ -is [SockTools.SocketEntry] }) | Should -BeNullOrEmpty
            ($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Tcp Listen 127.0.0.1:$port (SockPeer, pid $($first.Id)): it was already gone; nothing to close."
            (Get-SockListener -Port $port).ProcessId | Should -Be $second.Id
            (Test-SockPort 127.0.0.1 $port).Status | Should -Be 'Open'
        }
        finally { $first.Kill(); $second.Kill() }
    }

    It 'never says "gone" of a listener that shares its port (SO_REUSEPORT) when the kernel picks another one' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $first = Start-SockPeer
        $second = Start-SockPeer
        try {
            $port = [int] $first.Send('listenshared 127.0.0.1 0')[1]
            $null = $second.Send("listenshared 127.0.0.1 $port")
            $both = @(Get-SockListener -Port $port)
            $both | Should -HaveCount 2
            # The kernel finds the socket to close by its addresses and, among sockets sharing them, picks one by a
            # hash (here: the one that listened first). The later one goes first, so that it is the one not found;
            # whatever the kernel picks, no socket may be called gone while it listens.
            $both = @($both | Sort-Object { $_.ProcessId -ne $second.Id })
            $out = @($both | Close-SockConnection -Force -Confirm:$false -PassThru -ErrorVariable err -ErrorAction SilentlyContinue)
            ($out.Count + $err.Count) | Should -Be 2
            $left = @(Get-SockListener -Port $port | ForEach-Object Cookie)
            $left | Should -HaveCount $err.Count
            foreach ($e in $err) {
                $e.FullyQualifiedErrorId | Should -BeLike 'SockTools.SocketAddressShared,*'
                $e.CategoryInfo.Category | Should -Be 'ResourceBusy'
                $left | Should -Contain $e.TargetObject.Cookie
            }
            foreach ($closed in $out) { $left | Should -Not -Contain $closed.Cookie }
        }
        finally { $first.Kill(); $second.Kill() }
    }

    It 'frees a TIME_WAIT socket at once (Linux 6.0 and later), or says the kernel keeps it' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $scene = New-Connections '127.0.0.1' 1
        try {
            $pair = $scene.Pairs[0]
            $null = $scene.Client.Send("close $($pair.ClientId)")
            $null = $scene.Server.Send("close $($pair.ServerId)")
            Wait-Until { (Get-ClientSide $scene $pair).State -eq 'TimeWait' } -Because 'the client side in TIME_WAIT'
            $tw = Get-ClientSide $scene $pair
            $tw.ProcessId | Should -BeNullOrEmpty
            $out = $tw | Close-SockConnection -Confirm:$false -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
            if ([Environment]::OSVersion.Version -ge [version] '6.0') {
                $err | Should -BeNullOrEmpty
                $out.State | Should -Be 'TimeWait'
                Get-ClientSide $scene $pair | Should -BeNullOrEmpty
            }
            else {
                $err[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.SocketCloseNotSupported,*'
                $err[0].Exception.Message | Should -Match 'does not close TIME_WAIT sockets'
                (Get-ClientSide $scene $pair).State | Should -Be 'TimeWait'
            }
        }
        finally { $scene.Server.Kill(); $scene.Client.Kill() }
    }

    It 'refuses a TCP socket that is only bound, saying why, and goes on with the next piped socket' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'closing sockets needs root (CAP_NET_ADMIN)'; return }
        $scene = New-Connections '127.0.0.1' 1
        try {
            $null, $boundPort = $scene.Client.Send('bind 127.0.0.1 0')
            $bound = Get-SockConnection -State Bound -LocalPort $boundPort
            $listener = Get-SockListener -Port $scene.Port
            $connection = Get-ClientSide $scene $scene.Pairs[0]
            $out = $bound, $listener, $connection | Close-SockConnection -Confirm:$false -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -HaveCount 2
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.SocketCloseNotSupported,*'
            $err[0].CategoryInfo.Category | Should -Be 'NotImplemented'
            $err[0].Exception.Message | Should -Match 'only bound .* cannot be closed from outside'
            $err[0].TargetObject.LocalPort | Should -Be ([int] $boundPort)
            $err[1].FullyQualifiedErrorId | Should -BeLike 'SockTools.ListenerNeedsForce,*'
            $out.LocalPort | Should -Be $scene.Pairs[0].ClientPort -Because 'one bad item never stops the others'
            (Get-SockConnection -State Bound -LocalPort $boundPort) | Should -HaveCount 1
        }
        finally { $scene.Server.Kill(); $scene.Client.Kill() }
    }
}

Describe 'Close-SockConnection without root' {
    It 'gives nobody one error per socket and says once that it needs CAP_NET_ADMIN' {
        if (-not $isRoot) { Set-ItResult -Skipped -Because 'only root can switch to the nobody user'; return }
        $scene = New-Connections '127.0.0.1'
        $copy = Join-Path ([IO.Path]::GetTempPath()) "socktools-close-nobody-$PID"
        try {
            # nobody cannot read /root: give it a copy of pwsh and of the built module.
            New-Item -ItemType Directory -Path $copy | Out-Null
            Copy-Item $PSHOME (Join-Path $copy 'pwsh') -Recurse
            Copy-Item (Get-Module SockTools).ModuleBase (Join-Path $copy 'SockTools') -Recurse
            & chmod -R a+rX $copy
            $script = @"
Import-Module '$copy/SockTools/SockTools.psd1'
`$out = Get-SockConnection -RemotePort $($scene.Port) -State Established | Close-SockConnection -Confirm:`$false -PassThru -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue
"CLOSED `$(@(`$out).Count)"
"ERRORS `$(@(`$err).Count)"
`$err | ForEach-Object { "ERROR `$(`$_.FullyQualifiedErrorId) `$(`$_.CategoryInfo.Category) `$(`$_.TargetObject.LocalPort) `$(`$_.Exception.Message)" }
"WARNINGS `$(@(`$w).Count)"
`$w | ForEach-Object { "WARNING `$_" }
"@
            $out = & runuser -u nobody -- env "HOME=$copy" "DOTNET_CLI_HOME=$copy" dotnet (Join-Path $copy 'pwsh/pwsh.dll') -NoProfile -NonInteractive -Command $script 2>&1
            $text = $out -join "`n"
            $text | Should -Match 'CLOSED 0'
            $text | Should -Match 'ERRORS 2'
            foreach ($pair in $scene.Pairs) {
                # (nobody cannot see the owners of root's sockets, so the socket is named without one.)
                $text | Should -Match "ERROR SockTools\.SocketCloseDenied,SockTools\.Commands\.CloseSockConnectionCommand PermissionDenied $($pair.ClientPort) Could not close Tcp Established 127\.0\.0\.1:$($pair.ClientPort) -> 127\.0\.0\.1:$($scene.Port): the kernel refused: EPERM \(operation not permitted\)\."
            }
            $text | Should -Match 'WARNINGS 1'
            $text | Should -Match 'WARNING Closing a socket of any process needs CAP_NET_ADMIN in this network namespace: run PowerShell as root \(sudo\)'
            foreach ($pair in $scene.Pairs) { (Get-ClientSide $scene $pair).State | Should -Be 'Established' }
        }
        finally {
            $scene.Server.Kill(); $scene.Client.Kill()
            Remove-Item $copy -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}
