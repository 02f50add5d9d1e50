# Shared by the Pester tests: load the BUILT module, run socket peers, wait for kernel state.

function Import-SockToolsUnderTest {
    # build.ps1 -Task Test points this at out/SockTools/<version>/SockTools.psd1.
    $path = $env:SOCKTOOLS_TEST_MODULE
    if (-not $path) {
        $path = Get-ChildItem (Join-Path $PSScriptRoot '../out/SockTools/*/SockTools.psd1') | Select-Object -Last 1 -ExpandProperty FullName
    }
    if (-not $path -or -not (Test-Path $path)) { throw 'Build the module first: dotnet pwsh ./build.ps1' }
    Import-Module $path -Force -Global
}

function Get-SockPeerPath {
    $path = $env:SOCKTOOLS_TEST_PEER
    if (-not $path) { $path = Join-Path $PSScriptRoot 'SockPeer/bin/Release/net10.0/SockPeer' }
    if (-not (Test-Path $path)) { throw "SockPeer is not built: dotnet build $PSScriptRoot/SockPeer -c Release" }
    $path
}

class SockPeer {
    # A separate process holding the sockets a test asks for, so each socket has a known owner PID.
    [System.Diagnostics.Process] $Process
    [int] $Id

    SockPeer() { $this.Start((Get-SockPeerPath), @()) }

    # The same, inside an ip netns namespace (ip netns exec execs SockPeer in place: the pid stays).
    SockPeer([string] $Namespace) { $this.Start('ip', @('netns', 'exec', $Namespace, (Get-SockPeerPath))) }

    # Started through a launcher that runs it elsewhere: ip netns exec <ns>, or unshare for a namespace of its own.
    # Both exec the peer in place, so the pid it reports is the process this object holds.
    SockPeer([string] $fileName, [string[]] $arguments) { $this.Start($fileName, $arguments) }

    hidden [void] Start([string] $fileName, [string[]] $arguments) {
        $info = [System.Diagnostics.ProcessStartInfo]::new($fileName)
        foreach ($a in $arguments) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.UseShellExecute = $false
        $this.Process = [System.Diagnostics.Process]::Start($info)
        $ready = $this.Process.StandardOutput.ReadLine()
        if ($ready -notmatch '^ready (\d+)$') { throw "SockPeer did not start: $ready" }
        $this.Id = [int] $Matches[1]
    }

    # Sends one command; returns the words after "ok", throws on "error".
    [string[]] Send([string] $command) {
        $this.Process.StandardInput.WriteLine($command)
        $this.Process.StandardInput.Flush()
        $answer = $this.Process.StandardOutput.ReadLine()
        if ($null -eq $answer -or -not $answer.StartsWith('ok')) { throw "SockPeer '$command' failed: $answer" }
        return @($answer.Split(' ') | Select-Object -Skip 1)
    }

    [void] Kill() {
        if (-not $this.Process.HasExited) {
            $this.Process.Kill()
            $this.Process.WaitForExit(5000) | Out-Null
        }
    }
}

function Start-SockPeer {
    # -NetworkNamespace (alias -Namespace): inside that ip netns namespace. -NewNetworkNamespace: in a network
    # namespace of its own that no name leads to, as a container's process is (its loopback up); it goes away with the peer.
    [CmdletBinding(DefaultParameterSetName = 'Here')]
    param(
        [Parameter(ParameterSetName = 'Named')] [Alias('Namespace')] [string] $NetworkNamespace,
        [Parameter(ParameterSetName = 'New')] [switch] $NewNetworkNamespace
    )
    $peer = Get-SockPeerPath
    switch ($PSCmdlet.ParameterSetName) {
        'Named' { [SockPeer]::new($NetworkNamespace) }
        'New' { [SockPeer]::new('unshare', @('--net', '--', 'sh', '-c', "ip link set lo up && exec '$peer'")) }
        default { [SockPeer]::new() }
    }
}

function New-TestNetworkNamespace {
    # An ip netns namespace with its loopback up. Root only; remove it with Remove-TestNetworkNamespace.
    param([string] $Name)
    & ip netns add $Name
    if ($LASTEXITCODE -ne 0) { throw "ip netns add $Name failed" }
    & ip -n $Name link set lo up
    if ($LASTEXITCODE -ne 0) { throw "ip -n $Name link set lo up failed" }
}

function Remove-TestNetworkNamespace {
    # Ends whatever still runs inside, then removes the name; quiet when it is gone already.
    param([string] $Name)
    if (-not (Test-Path "/run/netns/$Name")) { return }
    foreach ($id in @(& ip netns pids $Name 2>$null)) { Stop-Process -Id ([int] $id) -Force -ErrorAction SilentlyContinue }
    & ip netns del $Name 2>$null
}

# The names the summary tests use.
function New-TestNamespace { param([string] $Name) New-TestNetworkNamespace -Name $Name }
function Remove-TestNamespace { param([string] $Name) Remove-TestNetworkNamespace -Name $Name }

function Invoke-SockToolsIn {
    # Runs $Command in a child pwsh (the one running the tests) with the module under test loaded, inside network
    # namespace $Namespace, and returns what it wrote, through JSON (its last line of output). Warnings and
    # verbose lines the command wants to return must be captured in it (-WarningVariable), not printed.
    param([string] $Namespace, [string] $Command)
    $module = Join-Path (Get-Module SockTools).ModuleBase 'SockTools.psd1'
    $exe = [Environment]::ProcessPath
    $arguments = @()
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $arguments += [Reflection.Assembly]::GetEntryAssembly().Location }
    $arguments += '-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Stop'; Import-Module '$module'; & {`n$Command`n} | ConvertTo-Json -Depth 5 -Compress -AsArray"
    $output = @(& ip netns exec $Namespace $exe @arguments 2>&1 | ForEach-Object { "$_" })
    if ($LASTEXITCODE -ne 0 -or $output.Count -eq 0) { throw "child pwsh in $Namespace failed: $($output -join "`n")" }
    $output[-1] | ConvertFrom-Json
}

function Wait-Until {
    # Polls a condition: the kernel changes TCP state asynchronously (FIN handshakes, process exit).
    param([scriptblock] $Condition, [double] $TimeoutSeconds = 5, [string] $Because = 'condition')
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if (& $Condition) { return }
        Start-Sleep -Milliseconds 50
    }
    throw "Timed out after $TimeoutSeconds s waiting for $Because."
}

function Test-IsRoot { (& id -u) -eq '0' }

Export-ModuleMember -Function Import-SockToolsUnderTest, Get-SockPeerPath, Start-SockPeer, Wait-Until, Test-IsRoot, New-TestNetworkNamespace, Remove-TestNetworkNamespace, New-TestNamespace, Remove-TestNamespace, Invoke-SockToolsIn
