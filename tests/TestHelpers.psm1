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

    SockPeer() {
        $info = [System.Diagnostics.ProcessStartInfo]::new((Get-SockPeerPath))
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

function Start-SockPeer { [SockPeer]::new() }

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

Export-ModuleMember -Function Import-SockToolsUnderTest, Get-SockPeerPath, Start-SockPeer, Wait-Until, Test-IsRoot
