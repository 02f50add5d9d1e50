# The machine side of the benchmark: tools it compares against, network namespaces, machine facts.

Set-StrictMode -Version Latest

# Debian's own python: a pyenv python3 earlier on PATH usually has no psutil.
$script:Python = '/usr/bin/python3'

function Test-Root { (& id -u) -eq '0' }

function Test-Psutil {
    if (-not (Test-Path $script:Python)) { return $false }
    & $script:Python -c 'import psutil' 2>$null
    return $LASTEXITCODE -eq 0
}

function Get-PythonPath { $script:Python }

function Install-BenchPrerequisite {
    # The comparison tools (never needed by the module): installs the missing ones with apt-get when
    # root, and returns one note per tool that is still missing (its rows will say so).
    $packages = [ordered]@{}
    foreach ($tool in @(@('ss', 'iproute2'), @('netstat', 'net-tools'), @('nft', 'nftables'), @('ip', 'iproute2'))) {
        if (-not (Get-Command $tool[0] -CommandType Application -ErrorAction SilentlyContinue)) { $packages[$tool[1]] = $true }
    }
    if (-not (Test-Psutil)) { $packages['python3-psutil'] = $true }
    if ($packages.Count -gt 0 -and (Test-Root) -and (Get-Command apt-get -CommandType Application -ErrorAction SilentlyContinue)) {
        Write-Host "Installing $($packages.Keys -join ', ') (apt-get)"
        $env:DEBIAN_FRONTEND = 'noninteractive'
        & apt-get update -qq | Out-Null
        & apt-get install -y -qq @($packages.Keys) | Out-Null
    }
    $notes = @()
    foreach ($tool in 'ss', 'netstat', 'nft', 'ip') {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { $notes += "$tool is not installed: its rows are skipped." }
    }
    if (-not (Test-Psutil)) { $notes += "$script:Python with psutil is not available (apt-get install python3-psutil): the psutil row is skipped." }
    return $notes
}

function Test-NamespaceSupport {
    # Root and iproute2: each size then runs in a network namespace of its own (see Invoke-Benchmark.ps1).
    (Test-Root) -and [bool] (Get-Command ip -CommandType Application -ErrorAction SilentlyContinue)
}

function New-BenchNamespace {
    # A fresh network namespace with loopback up; -DropSynPorts adds an nftables rule that silently drops
    # connection attempts (SYN without ACK) to those ports, so connecting there can only time out.
    param([string] $Name, [string] $DropSynPorts)
    & ip netns add $Name
    if ($LASTEXITCODE -ne 0) { throw "ip netns add $Name failed." }
    & ip -n $Name link set lo up
    if ($DropSynPorts) {
        $rules = @"
table inet socktools_bench {
    chain input {
        type filter hook input priority 0; policy accept;
        tcp dport { $DropSynPorts } tcp flags & (syn | ack) == syn drop
    }
}
"@
        $rules | & ip netns exec $Name nft -f -
        if ($LASTEXITCODE -ne 0) { Remove-BenchNamespace $Name; throw "nft could not add the SYN-drop rule in $Name." }
    }
}

function Remove-BenchNamespace {
    param([string] $Name)
    & ip netns del $Name 2>$null
}

function Remove-StaleBenchNamespace {
    # Namespaces named sockbench-<pid>-... whose bench process no longer exists: left by a run that was
    # killed outright (SIGKILL skips finally blocks). Their processes died with it (PR_SET_PDEATHSIG).
    foreach ($line in @(& ip netns list 2>$null)) {
        if ($line -match '^(sockbench-(\d+)-\S+)' -and -not (Test-Path "/proc/$($Matches[2])")) {
            Write-Host "Removing the namespace $($Matches[1]) of an earlier, killed bench run"
            Remove-BenchNamespace $Matches[1]
        }
    }
}

function Get-MachineInfo {
    param([string] $Root, [string] $ModulePath)
    $firstMatch = { param($Path, $Pattern) (Select-String -Path $Path -Pattern $Pattern | Select-Object -First 1).Matches[0].Groups[1].Value }
    $dirty = @(& git -C $Root status --porcelain -- src SockTools.psd1 2>$null).Count -gt 0
    $tools = @()
    if (Get-Command ss -CommandType Application -ErrorAction SilentlyContinue) { $tools += (& ss -V) -replace '^ss utility, ', '' }
    if (Get-Command netstat -CommandType Application -ErrorAction SilentlyContinue) { $tools += @(& netstat -V 2>&1)[0] }
    if (Test-Psutil) { $tools += 'psutil ' + (& $script:Python -c 'import psutil; print(psutil.__version__)') + ' (python ' + (& $script:Python -c 'import platform; print(platform.python_version())') + ')' }
    [ordered]@{
        Date     = (Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm') + ' UTC'
        Commit   = (& git -C $Root rev-parse --short HEAD) + ' (' + (& git -C $Root rev-parse --abbrev-ref HEAD) + ')' + $(if ($dirty) { ' + uncommitted changes in src/' } else { '' }) + ': ' + (& git -C $Root log -1 --format=%s)
        Module   = $ModulePath
        Cpu      = '{0} x {1}' -f [Environment]::ProcessorCount, (& $firstMatch /proc/cpuinfo '^model name\s*:\s*(.*)$')
        Memory   = '{0:N1} GB' -f ([long] (& $firstMatch /proc/meminfo '^MemTotal:\s+(\d+) kB') / 1MB)
        Kernel   = (& uname -r)
        OS       = (& $firstMatch /etc/os-release '^PRETTY_NAME="?([^"]*)"?$')
        PowerShell = $PSVersionTable.PSVersion.ToString() + ' on ' + [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
        Tools    = $tools -join '; '
    }
}

Export-ModuleMember -Function Test-Root, Test-Psutil, Get-PythonPath, Install-BenchPrerequisite, Test-NamespaceSupport, New-BenchNamespace, Remove-BenchNamespace, Remove-StaleBenchNamespace, Get-MachineInfo
