# PowerShell remoting over SSH against two real test hosts on this machine (root only): each host is a network
# namespace with a socket table of its own, reached through an sshd of its own that listens on a loopback address
# of this host and whose powershell subsystem runs pwsh -sshs inside that namespace, with the module under test on
# its PSModulePath (as if installed there). The host and user keys are throwaway ones in a temporary folder, and
# the sshd configuration lives there too: nothing of the machine's own ssh setup is read or changed. Everything the
# test makes (sessions, sshd and peer processes, namespaces, files) is removed afterwards, also when it fails.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    $sshd = '/usr/sbin/sshd'
    $skipReason = if (-not (Test-IsRoot)) { 'needs root to create network namespaces and run sshd' }
    elseif (-not (Test-Path $sshd)) { 'needs sshd (openssh-server); .ci/run installs it' }
    elseif (-not (Get-Command ssh -ErrorAction SilentlyContinue) -or -not (Get-Command ssh-keygen -ErrorAction SilentlyContinue)) { 'needs ssh and ssh-keygen (openssh-client)' }
    elseif (-not (Get-Command ip -ErrorAction SilentlyContinue)) { 'needs iproute2 (ip); .ci/run installs it' }
    if ($skipReason) { return }

    function Get-FreeLoopbackPort([string] $Address) {
        # A port the kernel has free on that address now (sshd binds it a moment later; a clash fails loudly).
        $probe = [System.Net.Sockets.TcpListener]::new([ipaddress]::Parse($Address), 0)
        $probe.Start()
        try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
    }

    function Start-TestHost([string] $Name, [string] $Address, [string] $Namespace) {
        # One sshd for one namespace; returns what a session to it needs.
        $port = Get-FreeLoopbackPort $Address
        $config = Join-Path $dir "sshd-$Name.conf"
        $log = Join-Path $dir "sshd-$Name.log"
        $subsystem = "/usr/bin/env PSModulePath=$modules $ipPath netns exec $Namespace $dotnet $pwshDll -sshs -NoLogo -NoProfile"
        @(
            "Port $port"
            "ListenAddress $Address"
            "HostKey $dir/host_key"
            "PidFile $dir/sshd-$Name.pid"
            "AuthorizedKeysFile $dir/authorized_keys"
            'PubkeyAuthentication yes'
            'PasswordAuthentication no'
            'KbdInteractiveAuthentication no'
            'PermitRootLogin prohibit-password'
            'UsePAM no'
            'StrictModes no'
            "Subsystem powershell $subsystem"
        ) | Set-Content -Path $config
        "[$Address]:$port $(Get-Content "$dir/host_key.pub")" | Add-Content -Path $knownHosts

        $info = [System.Diagnostics.ProcessStartInfo]::new($sshd)
        foreach ($a in '-D', '-e', '-f', $config, '-E', $log) { $info.ArgumentList.Add($a) }
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $script:processes += $process
        Wait-Until { (Test-Path $log) -and ((Get-Content $log -Raw) -match 'Server listening') } -TimeoutSeconds 20 -Because "sshd for $Name to listen on ${Address}:$port"
        [pscustomobject]@{ Name = $Name; Address = $Address; Port = $port; Log = $log }
    }

    function New-TestSession($TestHost) {
        # Strict: the throwaway host key is the only one this client accepts, from a known_hosts of the test's own.
        $options = @{ StrictHostKeyChecking = 'yes'; UserKnownHostsFile = $knownHosts; GlobalKnownHostsFile = '/dev/null'; BatchMode = 'yes' }
        New-PSSession -HostName $TestHost.Address -Port $TestHost.Port -UserName root -KeyFilePath "$dir/user_key" -Options $options -ConnectingTimeout 60000 -ErrorAction Stop
    }

    $script:processes = @()
    $dir = Join-Path ([IO.Path]::GetTempPath()) "stns-remoting-$PID"
    $null = New-Item -ItemType Directory -Path $dir -Force
    $knownHosts = Join-Path $dir 'known_hosts'
    $modules = Split-Path (Split-Path (Get-Module SockTools).ModuleBase)   # out/, which holds SockTools/<version>/
    $dotnet = [Environment]::ProcessPath
    $pwshDll = Join-Path $PSHOME 'pwsh.dll'
    $ipPath = (Get-Command ip -CommandType Application)[0].Source

    # sshd wants its privilege separation directory; made only when missing, and removed again then.
    $madePrivsep = -not (Test-Path /run/sshd)
    if ($madePrivsep) { $null = New-Item -ItemType Directory -Path /run/sshd }

    & ssh-keygen -q -t ed25519 -N '' -C stns-test-host -f "$dir/host_key"
    & ssh-keygen -q -t ed25519 -N '' -C stns-test-user -f "$dir/user_key"
    Copy-Item "$dir/user_key.pub" "$dir/authorized_keys"
    $null = New-Item -ItemType File -Path $knownHosts

    $nsA = "stns-rm-$PID-a"
    $nsB = "stns-rm-$PID-b"
    New-TestNetworkNamespace $nsA
    New-TestNetworkNamespace $nsB

    # Each host's own listener: a port only that namespace listens on (and this host's own table has neither).
    $peerA = Start-SockPeer -NetworkNamespace $nsA
    $peerB = Start-SockPeer -NetworkNamespace $nsB
    $portA = [int] $peerA.Send('listen 127.0.0.1 0')[1]
    $portB = [int] $peerB.Send('listen 127.0.0.1 0')[1]
    while ($portB -eq $portA) { $portB = [int] $peerB.Send('listen 127.0.0.1 0')[1] }

    $hostA = Start-TestHost -Name a -Address 127.0.0.1 -Namespace $nsA
    $hostB = Start-TestHost -Name b -Address 127.0.0.2 -Namespace $nsB
    $sessions = @((New-TestSession $hostA), (New-TestSession $hostB))
}

AfterAll {
    if ($skipReason) { return } # nothing was started (strict mode: the variables below were never set)
    if ($sessions) { $sessions | Remove-PSSession -ErrorAction SilentlyContinue }
    foreach ($p in @($script:processes)) { if ($p -and -not $p.HasExited) { $p.Kill($true); $null = $p.WaitForExit(5000) } }
    if ($peerA) { $peerA.Kill() }
    if ($peerB) { $peerB.Kill() }
    if ($nsA) { Remove-TestNetworkNamespace $nsA }
    if ($nsB) { Remove-TestNetworkNamespace $nsB }
    if ($dir -and (Test-Path $dir)) { Remove-Item -Recurse -Force $dir }
    if ($madePrivsep -and (Test-Path /run/sshd) -and -not (Get-ChildItem /run/sshd)) { Remove-Item /run/sshd }
}

Describe 'Many hosts through PowerShell remoting over SSH' {
    BeforeAll {
        if ($skipReason) { return }
        # One Invoke-Command to both hosts; each reads its own namespace's table, owners included.
        $listeners = @(Invoke-Command -Session $sessions { Get-SockListener -Protocol Tcp -Port $using:portA, $using:portB })
    }

    It 'runs on each host inside its own network namespace' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $links = @(Invoke-Command -Session $sessions { [pscustomobject]@{ Link = (Get-Item /proc/self/ns/net).LinkTarget; Module = (Get-Module SockTools -ListAvailable).ModuleBase } })
        ($links | Where-Object PSComputerName -EQ 127.0.0.1).Link | Should -Be (Get-Item "/proc/$($peerA.Id)/ns/net").LinkTarget
        ($links | Where-Object PSComputerName -EQ 127.0.0.2).Link | Should -Be (Get-Item "/proc/$($peerB.Id)/ns/net").LinkTarget
        $links.Module | Should -Be @((Get-Module SockTools).ModuleBase, (Get-Module SockTools).ModuleBase)
    }

    It 'returns each host''s own listener, and not the other''s, with its PSComputerName' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $listeners | Should -HaveCount 2
        $a = @($listeners | Where-Object PSComputerName -EQ 127.0.0.1)
        $b = @($listeners | Where-Object PSComputerName -EQ 127.0.0.2)
        $a | Should -HaveCount 1
        $b | Should -HaveCount 1
        $a[0].LocalPort | Should -Be $portA
        $b[0].LocalPort | Should -Be $portB
        $a[0].LocalAddress | Should -Be '127.0.0.1'
        "$($a[0].State)" | Should -Be 'Listen'
        $a[0].ProcessId | Should -Be $peerA.Id -Because 'the remote pwsh finds owners through /proc as anywhere'
        $b[0].ProcessId | Should -Be $peerB.Id
        $a[0].ProcessName | Should -Be 'SockPeer'
        @(Get-SockListener -Port $portA, $portB -Protocol Tcp) | Should -HaveCount 0 -Because 'this host''s own table has neither listener'
    }

    It 'brings them back deserialized, every value whole and typed as written' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $a = $listeners | Where-Object PSComputerName -EQ 127.0.0.1
        $a.PSObject.TypeNames[0] | Should -Be 'Deserialized.SockTools.SocketEntry#Listener'
        $a.PSObject.TypeNames | Should -Contain 'Deserialized.SockTools.SocketEntry'
        $a.LocalPort | Should -BeOfType [int]
        $a.Inode | Should -BeGreaterThan 0
        "$($a.Exposure)" | Should -Be 'Loopback'
    }

    It 'shows them in the listener view with PSComputerName, whole at 80 columns' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $lines = @(($listeners | Sort-Object PSComputerName | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $text = $lines -join "`n"
        $text | Should -Not -Match '…'
        $text | Should -Match 'PSComputerName'
        $text | Should -Match "127\.0\.0\.1:$portA\b"
        $text | Should -Match "127\.0\.0\.1:$portB\b"
        $text | Should -Match '127\.0\.0\.2'
        $text | Should -Match 'SockPeer' -Because 'the process name stays; the PID column gives its room to PSComputerName'
    }

    It 'exports the fleet as one inventory, PSComputerName first, each value once' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        # The recipe of the README's "Many hosts" section.
        $csv = Join-Path $TestDrive 'listeners.csv'
        $listeners |
            Select-Object -Property @{ Name = 'PSComputerName'; Expression = { $_.PSComputerName } }, * -ExcludeProperty PSComputerName, RunspaceId, PSShowComputerName |
            Export-Csv -Path $csv
        $header = ((Get-Content $csv)[0] -split ',') -replace '"'
        $header[0] | Should -Be 'PSComputerName'
        $header | Should -Not -Contain 'RunspaceId'
        $header | Should -Not -Contain 'PSShowComputerName'
        ($header | Group-Object | Where-Object Count -GT 1) | Should -BeNullOrEmpty
        $local = (Get-SockListener -Protocol Tcp -WarningAction SilentlyContinue | Select-Object -First 1 | ConvertTo-Csv)[0]
        ($header | Select-Object -Skip 1) -join ',' | Should -Be (($local -replace '"') ) -Because 'the rest are the columns of a local export, in order'
        $rows = @(Import-Csv $csv | Sort-Object PSComputerName)
        $rows.PSComputerName | Should -Be @('127.0.0.1', '127.0.0.2')
        $rows.LocalPort | Should -Be @("$portA", "$portB")
        $rows.State | Should -Be @('Listen', 'Listen')
        $rows.ProcessId | Should -Be @("$($peerA.Id)", "$($peerB.Id)")
    }

    It 'runs Test-SockPort remotely: open on the host that listens, refused and explained on the other' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $results = @(Invoke-Command -Session $sessions { Test-SockPort 127.0.0.1 $using:portA })
        $results | Should -HaveCount 2
        $a = $results | Where-Object PSComputerName -EQ 127.0.0.1
        $b = $results | Where-Object PSComputerName -EQ 127.0.0.2
        "$($a.Status)" | Should -Be 'Open'
        $a.Succeeded | Should -BeTrue
        "$($b.Status)" | Should -Be 'Refused'
        "$($b.Diagnosis)" | Should -Be 'NotListening' -Because 'the remote host reads its own table to explain'
        $b.Explanation | Should -Match "Nothing listens on port $portA"
        $b.PSObject.TypeNames[0] | Should -Be 'Deserialized.SockTools.PortTestResult'
        $text = $results | Sort-Object PSComputerName | Out-String -Width 80
        $text | Should -Match 'PSComputerName'
        $text | Should -Match 'Open'
        $text | Should -Match 'Refused'
        $text | Should -Not -Match '…'
        @(Invoke-Command -Session $sessions { Test-SockPort 127.0.0.1 $using:portB -Quiet }) | Sort-Object | Should -Be @($false, $true)
    }

    It 'reports a remote error with its id and PSComputerName' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        $null = Invoke-Command -Session $sessions[0] { Get-SockListener -NetworkNamespace stns-no-such-namespace } -ErrorAction SilentlyContinue -ErrorVariable failed
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SockTools.NetworkNamespaceNotFound*'
        $failed[0].OriginInfo.PSComputerName | Should -Be '127.0.0.1'
    }

    It 'leaves the machine''s ssh setup as it was' {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason; return }
        foreach ($h in $hostA, $hostB) { Get-Content $h.Log -Raw | Should -Match "Accepted publickey for root from 127\.0\.0\.\d+ " }
        Get-ChildItem /etc/ssh -Recurse -File | Where-Object LastWriteTime -GT (Get-Process -Id $PID).StartTime | Should -BeNullOrEmpty
    }
}
