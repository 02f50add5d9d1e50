# Issue 16's "the new readers keep the pace" blocks that need a load of their own: UNIX sockets with owners
# against `ss -xp`, and -AllNetworkNamespaces against the sum of reading each namespace alone. Root only
# (network namespaces); each block cleans up its loads and namespaces whatever happens.

Set-StrictMode -Version Latest

function Measure-UnixReader {
    # One namespace with SockLoad holding $Sockets UNIX sockets (socket pairs over 20 processes, no TCP
    # connections), then rounds of `$r = Get-SockConnection -Protocol Unix` (with owners) against `ss -xp`
    # and `ss -x` run in that namespace.
    param([string] $ModulePath, [string] $SockLoadPath, [string] $Tag, [int] $Sockets, [int] $Repeat)
    $ns = "$Tag-unix"
    $prefix = @('ip', 'netns', 'exec', $ns)
    $load = $null
    try {
        New-BenchNamespace -Name $ns
        $load = Start-SockLoad -Path $SockLoadPath -Prefix $prefix -Connections 0 -Processes 20 -Udp 0 -UnixPairs ([int] ($Sockets / 2)) -TimeWait 0
        $census = [int] (& ip netns exec $ns bash -c 'ss -xanH | wc -l')
        $quiet = Wait-QuietCpu -Before 'the UNIX socket rounds' -TimeoutSeconds 60
        $rounds = Invoke-BenchScript 'Measure-Compare.ps1' -Prefix $prefix -Parameters @{
            ModulePath   = $ModulePath; Repeat = $Repeat
            CasesJson    = (@{ Unix = '$r = Get-SockConnection -Protocol Unix' } | ConvertTo-Json -Compress)
            ExternalJson = ([ordered]@{ 'ss -xp' = @('ss', '-xp'); 'ss -x' = @('ss', '-x') } | ConvertTo-Json -Compress)
        }
        [pscustomobject]@{ Sockets = $census; Rounds = $rounds; Note = $quiet }
    }
    finally {
        Stop-SockLoad $load
        Remove-BenchNamespace $ns
    }
}

function Measure-NamespaceReader {
    # $Count namespaces, each with a SockLoad of $Connections connections over 5 processes, then rounds of
    # `$r = Get-SockConnection -Protocol Tcp -AllNetworkNamespaces` and of the same read with -NetworkNamespace
    # for each namespace alone (all with owners), from the namespace the benchmark runs in.
    param([string] $ModulePath, [string] $SockLoadPath, [string] $Tag, [int] $Count, [int] $Connections, [int] $Repeat)
    $names = @(1..$Count | ForEach-Object { '{0}-ns{1:D2}' -f $Tag, $_ })
    $loads = [Collections.Generic.List[object]]::new()
    try {
        foreach ($name in $names) {
            New-BenchNamespace -Name $name
            $loads.Add((Start-SockLoad -Path $SockLoadPath -Prefix @('ip', 'netns', 'exec', $name) -Connections $Connections -Processes 5 -Udp 10 -UnixPairs 10 -TimeWait 0))
        }
        $sockets = ($loads | Measure-Object -Property TcpSockets -Sum).Sum
        $cases = [ordered]@{ All = '$r = Get-SockConnection -Protocol Tcp -AllNetworkNamespaces' }
        foreach ($name in $names) { $cases[$name] = "`$r = Get-SockConnection -Protocol Tcp -NetworkNamespace '$name'" }
        $quiet = Wait-QuietCpu -Before 'the network namespace rounds' -TimeoutSeconds 60
        $rounds = Invoke-BenchScript 'Measure-Compare.ps1' -Parameters @{ ModulePath = $ModulePath; Repeat = $Repeat; CasesJson = ($cases | ConvertTo-Json -Compress) }
        [pscustomobject]@{ Namespaces = $names; Sockets = $sockets; Connections = $Connections; Rounds = $rounds; Note = $quiet }
    }
    finally {
        foreach ($load in $loads) { Stop-SockLoad $load }
        foreach ($name in $names) { Remove-BenchNamespace $name }
    }
}

Export-ModuleMember -Function Measure-UnixReader, Measure-NamespaceReader
