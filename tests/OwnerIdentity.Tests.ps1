# Who the owner really is: its command line, and the service and container it runs in, read from
# /proc/<pid>/cmdline and /proc/<pid>/cgroup. As root the test makes cgroups whose paths look like a systemd
# service and like docker containers (cgroupfs and systemd drivers), in every hierarchy this machine mounts
# (cgroup v2, and cgroup v1's name=systemd), moves SockPeer processes into them, and removes them after.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    function Get-CgroupMount {
        # From /proc/self/mountinfo: "... <mount point> <options> - <fstype> <source> <super options>".
        $v2 = $v1 = $null
        foreach ($line in Get-Content /proc/self/mountinfo) {
            $left, $right = $line -split ' - ', 2
            $fields = $left -split ' '
            $type, $null, $super = $right -split ' '
            if (-not $v2 -and $type -eq 'cgroup2') { $v2 = $fields[4] }
            if (-not $v1 -and $type -eq 'cgroup' -and ($super -split ',') -contains 'name=systemd') { $v1 = $fields[4] }
        }
        [pscustomobject]@{ V2 = $v2; V1Systemd = $v1 }
    }

    $created = [System.Collections.Generic.List[string]]::new()
    function New-Cgroup([string] $Root, [string] $Relative) {
        # Makes each folder of the path that is not there yet, and remembers it for AfterAll.
        $path = $Root
        foreach ($part in $Relative -split '/' | Where-Object { $_ }) {
            $path = Join-Path $path $part
            if (-not (Test-Path $path)) {
                $null = New-Item -ItemType Directory -Path $path -ErrorAction Stop
                $created.Add($path)
            }
        }
        $path
    }
    function Move-Process([string] $Cgroup, [int] $ProcessId) { [IO.File]::WriteAllText((Join-Path $Cgroup 'cgroup.procs'), "$ProcessId") }

    function New-ContainerId { ([guid]::NewGuid().ToString('N') + [guid]::NewGuid().ToString('N')) }

    $peers = [System.Collections.Generic.List[object]]::new()
    function Start-Listener {
        $peer = Start-SockPeer
        $peers.Add($peer)
        $null, $port = $peer.Send('listen 127.0.0.1 0')
        [pscustomobject]@{ Peer = $peer; Port = [int] $port }
    }
}

AfterAll {
    foreach ($p in $peers) { $p.Kill() }
    # A cgroup can be removed once its processes are gone (rmdir, never a recursive delete); deepest first.
    for ($i = $created.Count - 1; $i -ge 0; $i--) {
        $path = $created[$i]
        $deadline = [DateTime]::UtcNow.AddSeconds(5)
        while ((Test-Path $path) -and [DateTime]::UtcNow -lt $deadline) {
            try { [IO.Directory]::Delete($path, $false) } catch { Start-Sleep -Milliseconds 100 }
        }
    }
}

Describe 'CommandLine' {
    It 'is the owner''s command line, as ps shows it, on the entry and on each owner' {
        $l = Start-Listener
        $expected = ([IO.File]::ReadAllText("/proc/$($l.Peer.Id)/cmdline").TrimEnd([char] 0)) -replace "`0", ' '
        $entry = Get-SockListener -Port $l.Port
        $entry.CommandLine | Should -Be $expected
        $entry.CommandLine | Should -Be (Get-SockPeerPath) -Because 'SockPeer is started without arguments'
        $entry.Owners[0].CommandLine | Should -Be $expected
        $ps = Get-Command ps -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($ps) { $entry.CommandLine | Should -Be ((& $ps.Source -o args= -p $l.Peer.Id) -join '').Trim() }
    }

    It 'is in exports and in a watch''s changes, and $null for a socket without an owner' {
        $l = Start-Listener
        $row = Get-SockListener -Port $l.Port | ConvertTo-Csv | ConvertFrom-Csv
        $row.CommandLine | Should -Be (Get-SockPeerPath)
        foreach ($name in 'CommandLine', 'ServiceName', 'ContainerId') { $row.PSObject.Properties.Name | Should -Contain $name }
        $change = Watch-SockState -LocalPort $l.Port -State Listen -IncludeExisting -Count 1 -TimeoutSeconds 10 # only ours: other sockets may share the port number
        $change.CommandLine | Should -Be (Get-SockPeerPath)
        $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $l.Port)
        try {
            # Not accepted yet: the server side of the connection belongs to no process.
            $waiting = Get-SockConnection -LocalPort $l.Port -State Established
            $waiting.ProcessId | Should -BeNullOrEmpty
            $waiting.CommandLine | Should -BeNullOrEmpty
            $waiting.ServiceName | Should -BeNullOrEmpty
            $waiting.ContainerId | Should -BeNullOrEmpty
        }
        finally { $client.Dispose() }
    }
}

Describe 'ServiceName and ContainerId from cgroups the test makes' {
    BeforeAll {
        $skip = $null
        $mounts = Get-CgroupMount
        $hierarchies = @($mounts.V2, $mounts.V1Systemd | Where-Object { $_ })
        if (-not (Test-IsRoot)) { $skip = 'moving a process into a cgroup needs root' }
        elseif (-not $hierarchies) { $skip = 'this machine mounts neither cgroup v2 nor cgroup v1''s name=systemd hierarchy' }
        else {
            try {
                $service = "unixown-echo-$PID.service"
                $serviceOwner = Start-Listener
                $containerId = New-ContainerId
                $containerOwner = Start-Listener
                # In every hierarchy, so whichever the reader trusts (systemd's own, else v2) says the same.
                foreach ($root in $hierarchies) {
                    Move-Process (New-Cgroup $root "unixown-owner-$PID.slice/$service") $serviceOwner.Peer.Id
                    Move-Process (New-Cgroup $root "unixown-owner-$PID/docker/$containerId") $containerOwner.Peer.Id
                }
                if ($mounts.V1Systemd) {
                    # The systemd driver's scope, in cgroup v1's systemd hierarchy only.
                    $scopeId = New-ContainerId
                    $scopeOwner = Start-Listener
                    Move-Process (New-Cgroup $mounts.V1Systemd "unixown-owner-$PID.slice/docker-$scopeId.scope") $scopeOwner.Peer.Id
                }
            }
            catch { $skip = "this machine does not let the test make cgroups: $($_.Exception.Message)" }
        }
    }
    BeforeEach { if ($skip) { Set-ItResult -Skipped -Because $skip } }

    It 'names the systemd service a socket''s owner runs in' {
        Get-Content -Raw "/proc/$($serviceOwner.Peer.Id)/cgroup" | Should -Match ([regex]::Escape("/unixown-owner-$PID.slice/$service"))
        $entry = Get-SockListener -Port $serviceOwner.Port
        $entry.ServiceName | Should -Be $service
        $entry.ContainerId | Should -BeNullOrEmpty
        $entry.Owners[0].ServiceName | Should -Be $service
    }

    It 'names the container (the 12-digit id docker ps prints) a socket''s owner runs in' {
        $entry = Get-SockListener -Port $containerOwner.Port
        $entry.ContainerId | Should -Be $containerId.Substring(0, 12)
        $entry.ServiceName | Should -Not -Be $service
        $entry.Owners[0].ContainerId | Should -Be $containerId.Substring(0, 12)
        (Get-SockConnection -ProcessId $containerOwner.Peer.Id -State Listen | Where-Object LocalPort -eq $containerOwner.Port).ContainerId | Should -Be $containerId.Substring(0, 12)
    }

    It 'names a container of the systemd driver on cgroup v1 (a docker-ID.scope)' {
        if (-not $mounts.V1Systemd) { Set-ItResult -Skipped -Because 'this machine has no cgroup v1 name=systemd hierarchy'; return }
        Get-Content -Raw "/proc/$($scopeOwner.Peer.Id)/cgroup" | Should -Match "name=systemd:.*docker-$scopeId\.scope"
        (Get-SockListener -Port $scopeOwner.Port).ContainerId | Should -Be $scopeId.Substring(0, 12)
    }

    It 'tells each owner''s own: one that is elsewhere shows its own values' {
        $other = Start-Listener
        $entry = Get-SockListener -Port $other.Port
        $entry.ServiceName | Should -Not -Be $service
        $entry.ContainerId | Should -Not -Be $containerId.Substring(0, 12)
    }
}
