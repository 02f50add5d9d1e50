# Never silently wrong: faults injected with strace (-e inject=) into a child pwsh, hostile input, one error
# boundary, and the libc the module loads. The faults hit only the paths named with -P, so pwsh itself starts.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest
    $module = Join-Path (Get-Module SockTools).ModuleBase 'SockTools.psd1'
    $strace = Get-Command strace -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1

    # Runs $Script in a fresh pwsh under strace with the given strace arguments; returns its output lines.
    # The script's objects are printed as JSON lines (one per object), its warnings as 'WARNING: ...',
    # its errors as 'ERROR: <FullyQualifiedErrorId> | <category> | <message>'.
    function Invoke-Injected([string[]] $StraceArguments, [string] $Script) {
        $wrapped = @"
Import-Module '$module'
`$ErrorActionPreference = 'Continue'
& { $Script } 2>&1 3>&1 4>&1 | ForEach-Object {
    if (`$_ -is [System.Management.Automation.WarningRecord]) { 'WARNING: ' + `$_.Message }
    elseif (`$_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE: ' + `$_.Message }
    elseif (`$_ -is [System.Management.Automation.ErrorRecord]) { 'ERROR: ' + `$_.FullyQualifiedErrorId + ' | ' + `$_.CategoryInfo.Category + ' | ' + `$_.Exception.Message }
    else { 'OBJECT: ' + (`$_ | ConvertTo-Json -Compress -Depth 3) }
}
"@
        $pwsh = Join-Path $PSHOME 'pwsh.dll'
        $file = Join-Path ([IO.Path]::GetTempPath()) "socktools-inject-$PID.ps1"
        Set-Content -Path $file -Value $wrapped
        try {
            @(& $strace.Source -f -qq -o /dev/null @StraceArguments dotnet $pwsh -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" })
        }
        finally { Remove-Item $file -ErrorAction SilentlyContinue }
    }

    function Get-Objects([string[]] $Lines) { $Lines | Where-Object { $_.StartsWith('OBJECT: ') } | ForEach-Object { $_.Substring(8) | ConvertFrom-Json } }
    function Get-Warnings([string[]] $Lines) { @($Lines | Where-Object { $_.StartsWith('WARNING: ') }) }
    function Get-Errors([string[]] $Lines) { @($Lines | Where-Object { $_.StartsWith('ERROR: ') }) }

    $peer = Start-SockPeer
    $port = [int] $peer.Send('listen 127.0.0.1 0')[1]
}

AfterAll {
    if ($peer) { $peer.Kill() }
}

Describe 'Owners when /proc/<pid>/fd cannot be read' {
    # As root the owners come from the kernel's task-file iterator, which reads no /proc/<pid>/fd: these faults are
    # for the /proc path, so SOCKTOOLS_NO_BPF keeps them on it (the iterator's own faults are below).
    BeforeEach {
        if (-not $strace) { Set-ItResult -Skipped -Because 'strace is not installed (it injects the faults)' }
    }

    It 'warns with the errno when <Call> fails with <Errno>, instead of calling the owner gone' -ForEach @(
        @{ Call = 'open'; Syscall = 'openat'; Errno = 'EMFILE' }
        @{ Call = 'open'; Syscall = 'openat'; Errno = 'ENOMEM' }
        @{ Call = 'readdir'; Syscall = 'getdents64'; Errno = 'EIO' }
        @{ Call = 'readlinkat'; Syscall = 'readlinkat'; Errno = 'EIO' }
    ) {
        $out = Invoke-Injected @('-P', "/proc/$($peer.Id)/fd", '-e', "trace=$Syscall", '-e', "inject=$($Syscall):error=$Errno") "`$env:SOCKTOOLS_NO_BPF = 1; Get-SockListener -Port $port"
        $entry = Get-Objects $out
        $entry | Should -HaveCount 1
        $entry.ProcessId | Should -BeNullOrEmpty
        $warnings = @(Get-Warnings $out)
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -Match 'owning process of 1 socket\(s\) is unknown'
        $warnings[0] | Should -Match ([regex]::Escape("$Call(/proc/$($peer.Id)/fd): $Errno"))
    }

    It 'warns instead of answering nothing when the process asked for with -ProcessId cannot be read' {
        $out = Invoke-Injected @('-P', "/proc/$($peer.Id)/fd", '-e', 'trace=openat', '-e', 'inject=openat:error=EMFILE') "`$env:SOCKTOOLS_NO_BPF = 1; Get-SockListener -ProcessId $($peer.Id)"
        Get-Objects $out | Should -BeNullOrEmpty
        $warnings = @(Get-Warnings $out)
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -Match 'Sockets of the matching processes may be missing'
        $warnings[0] | Should -Match "EMFILE"
    }

    It 'says what really happened when root itself is denied, instead of blaming other users' {
        if (-not (Test-IsRoot)) { Set-ItResult -Skipped -Because 'the case is root being denied'; return }
        $out = Invoke-Injected @('-P', "/proc/$($peer.Id)/fd", '-e', 'trace=openat', '-e', 'inject=openat:error=EACCES') "`$env:SOCKTOOLS_NO_BPF = 1; Get-SockListener -Port $port"
        $warnings = @(Get-Warnings $out)
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -Match 'although this process runs as root'
        $warnings[0] | Should -Match "\b$($peer.Id)\b"
        $warnings[0] | Should -Not -Match 'other users'
    }

    It 'stays silent for a process that ended (the only quiet loss)' {
        $out = Invoke-Injected @('-P', "/proc/$($peer.Id)/fd", '-e', 'trace=openat', '-e', 'inject=openat:error=ENOENT') "`$env:SOCKTOOLS_NO_BPF = 1; Get-SockListener -Port $port"
        (Get-Objects $out).ProcessId | Should -BeNullOrEmpty
        Get-Warnings $out | Where-Object { $_ -match 'ENOENT|failed' } | Should -BeNullOrEmpty
    }
}

Describe "Owners when the kernel's task-file iterator fails" {
    BeforeEach {
        if (-not $strace) { Set-ItResult -Skipped -Because 'strace is not installed (it injects the faults)' }
        elseif (-not (Test-IsRoot)) { Set-ItResult -Skipped -Because 'without root the program is never loaded' }
    }

    It 'reads /proc instead when the kernel refuses the program, and says why with -Verbose' {
        $out = Invoke-Injected @('-e', 'trace=bpf', '-e', 'inject=bpf:error=EPERM') "Get-SockListener -Port $port -Verbose"
        (Get-Objects $out).ProcessId | Should -Be $peer.Id
        Get-Warnings $out | Should -BeNullOrEmpty
        ($out -join "`n") | Should -Match "read from /proc/<pid>/fd \(the kernel's task-file iterator cannot be used: the kernel refused to load the program: EPERM"
    }

    It 'reads /proc instead when the self-check cannot run, and says why with -Verbose' {
        # bpf calls, all on the scan's thread: load the program, link it, then the self-check's pass.
        $out = Invoke-Injected @('-e', 'trace=bpf', '-e', 'inject=bpf:error=ENOMEM:when=3') "Get-SockListener -Port $port -Verbose"
        (Get-Objects $out).ProcessId | Should -Be $peer.Id
        Get-Warnings $out | Should -BeNullOrEmpty
        ($out -join "`n") | Should -Match "read from /proc/<pid>/fd \(the kernel's task-file iterator cannot be used: bpf\(BPF_ITER_CREATE\): ENOMEM"
    }

    It 'reads /proc instead when one pass of the iterator fails, and names the failed call' {
        # bpf calls, all on the scan's thread: load the program, link it, the self-check's pass, then this read's pass.
        $out = Invoke-Injected @('-e', 'trace=bpf', '-e', 'inject=bpf:error=ENOMEM:when=4') "Get-SockListener -Port $port -Verbose"
        ($out -join "`n") | Should -Match "read from /proc/<pid>/fd \(the kernel's task-file iterator failed: bpf\(BPF_ITER_CREATE\): ENOMEM"
        (Get-Objects $out).ProcessId | Should -Be $peer.Id
        Get-Warnings $out | Should -BeNullOrEmpty
    }
}

Describe 'The /proc/net reader' {
    BeforeEach {
        if (-not $strace) { Set-ItResult -Skipped -Because 'strace is not installed (it injects the faults)' }
    }

    It 'fails with a clear error when a table exists but cannot be read, instead of dropping its sockets' {
        $out = Invoke-Injected @('-P', '/proc/net/tcp6', '-e', 'trace=openat,statx,newfstatat,fstat', '-e', 'inject=openat,statx,newfstatat,fstat:error=EIO') @"
`$env:SOCKTOOLS_READER = 'proc'
Get-SockListener -Port $port
"@
        Get-Objects $out | Should -BeNullOrEmpty
        $errors = @(Get-Errors $out)
        $errors | Should -HaveCount 1
        $errors[0] | Should -Match '^ERROR: SockTools\.SocketTableReadFailed,'
        $errors[0] | Should -Match '\| ReadError \|'
        $errors[0] | Should -Match 'tcp6'
    }

    It 'says in -Verbose that it cannot see sockets that are only bound when -State Bound asks for them' {
        $env:SOCKTOOLS_READER = 'proc'
        try { $v = Get-SockConnection -State Bound -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } }
        finally { Remove-Item Env:SOCKTOOLS_READER }
        ($v.Message -join "`n") | Should -Match 'lists no socket that is only bound'
    }
}

Describe 'Netlink faults that pass' {
    BeforeEach {
        if (-not $strace) { Set-ItResult -Skipped -Because 'strace is not installed (it injects the faults)' }
    }

    It 'retries a send interrupted by <Errno> and stays on netlink' -ForEach @(@{ Errno = 'EINTR' }, @{ Errno = 'EAGAIN' }) {
        $out = Invoke-Injected @('-e', 'trace=sendto', '-e', "inject=sendto:error=$($Errno):when=1..2") "Get-SockListener -Port $port -Verbose"
        ($out -join "`n") | Should -Not -Match 'Netlink sock_diag failed'
        $entry = Get-Objects $out
        $entry.ProcessId | Should -Be $peer.Id
        $entry.Cookie | Should -Not -BeNullOrEmpty -Because 'only netlink sees socket cookies'
    }

    It 'restarts a dump the kernel cut short with ENOBUFS' {
        $out = Invoke-Injected @('-e', 'trace=recvfrom', '-e', 'inject=recvfrom:error=ENOBUFS:when=1') "Get-SockListener -Port $port -Verbose"
        ($out -join "`n") | Should -Not -Match 'Netlink sock_diag failed'
        (Get-Objects $out).Cookie | Should -Not -BeNullOrEmpty
    }

    It 'decides the reader per call: after one failed netlink read the next call uses netlink again' {
        $out = Invoke-Injected @('-e', 'trace=socket', '-e', 'inject=socket:error=EAFNOSUPPORT:when=1') "Get-SockListener -Port $port -Verbose; Get-SockListener -Port $port -Verbose"
        ($out -join "`n") | Should -Match 'Netlink sock_diag failed \(socket\(AF_NETLINK, NETLINK_SOCK_DIAG\) failed: EAFNOSUPPORT'
        $entries = @(Get-Objects $out)
        $entries | Should -HaveCount 2
        $entries[0].Cookie | Should -BeNullOrEmpty -Because 'the first call fell back to /proc/net'
        $entries[1].Cookie | Should -Not -BeNullOrEmpty -Because 'the second call read netlink again'
    }
}

Describe 'One error boundary' {
    BeforeEach {
        if (-not $strace) { Set-ItResult -Skipped -Because 'strace is not installed (it injects the faults)' }
    }

    It '<Command> reports an unreadable /proc as SockTools.SocketTableReadFailed, also when it fails while entries stream' -ForEach @(
        @{ Command = 'Get-SockConnection' }
        @{ Command = 'Get-SockListener' }
        @{ Command = 'Watch-SockState -TimeoutSeconds 1' }
    ) {
        # Listing /proc happens lazily, in the owner scan, after the rows were read.
        $out = Invoke-Injected @('-P', '/proc', '-e', 'trace=openat', '-e', 'inject=openat:error=EACCES') $Command
        $errors = @(Get-Errors $out)
        $errors | Should -HaveCount 1
        $errors[0] | Should -Match '^ERROR: SockTools\.SocketTableReadFailed,'
        $errors[0] | Should -Match '\| PermissionDenied \|'
        $errors[0] | Should -Match 'open\(/proc\) failed: EACCES'
        ($out -join "`n") | Should -Not -Match 'NativeCallException|   at '
    }
}

Describe 'Hostile and odd input' {
    It 'refuses -ProcessName <Pattern> at binding, naming the pattern' -ForEach @(@{ Pattern = '[' }, @{ Pattern = 'a[b' }) {
        $e = { Get-SockConnection -ProcessName $Pattern -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Match '^ParameterArgumentValidationError'
        $e.Exception.Message | Should -Match ([regex]::Escape("'$Pattern' is not a valid wildcard pattern"))
        $e = { Get-SockListener -ProcessName $Pattern -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match ([regex]::Escape("'$Pattern' is not a valid wildcard pattern"))
    }

    It 'still matches literal brackets written with a backtick' {
        { Get-SockListener -ProcessName 'a`[b' -ErrorAction Stop } | Should -Not -Throw
    }

    It 'refuses Watch-SockState -TimeoutSeconds 1e12 at binding instead of overflowing' {
        $e = { Watch-SockState -TimeoutSeconds 1e12 -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Match '^ParameterArgumentValidationError'
        $e.Exception.Message | Should -Match '31536000'
    }

    It 'refuses -Port <Value> on <Command>: port 0 would match every listener' -ForEach @(
        @{ Command = 'Get-SockListener'; Value = 0 }
        @{ Command = 'Get-SockListener'; Value = '' }
        @{ Command = 'Get-SockConnection'; Value = 0 }
    ) {
        $e = { & $Command -Port $Value -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Match '^ParameterArgumentValidationError'
        $e.Exception.Message | Should -Match '0 is not a port to look for'
    }
}

Describe 'The C library the module loads' {
    It 'is never a libc.so planted next to SockTools.dll' {
        $gcc = Get-Command gcc -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $gcc) { Set-ItResult -Skipped -Because 'gcc is not installed (it builds the planted library)'; return }
        $copy = Join-Path ([IO.Path]::GetTempPath()) "socktools-planted-$PID"
        $marker = Join-Path ([IO.Path]::GetTempPath()) "socktools-planted-$PID.loaded"
        try {
            Copy-Item (Get-Module SockTools).ModuleBase $copy -Recurse
            # A library that leaves a marker file the moment anything loads it.
            $source = Join-Path $copy 'planted.c'
            Set-Content $source "#include <fcntl.h>`n#include <unistd.h>`n__attribute__((constructor)) static void planted(void) { close(open(`"$marker`", O_CREAT | O_WRONLY, 0644)); }"
            foreach ($name in 'libc.so', 'libc') {
                & $gcc.Source -shared -fPIC -o (Join-Path $copy $name) $source
                $LASTEXITCODE | Should -Be 0
            }

            $pwsh = Join-Path $PSHOME 'pwsh.dll'
            $out = & dotnet $pwsh -NoProfile -NonInteractive -Command "Import-Module '$copy/SockTools.psd1'; (Get-SockListener -Port $port).ProcessId" 2>&1
            "$out" | Should -Be "$($peer.Id)"
            Test-Path $marker | Should -BeFalse -Because 'the planted library must not have been loaded'
        }
        finally {
            Remove-Item $copy -Recurse -Force -ErrorAction SilentlyContinue
            Remove-Item $marker -Force -ErrorAction SilentlyContinue
        }
    }
}
