# Tab completion of -ProcessName, -ProcessId, -Port and -LocalPort: useful (only what the socket table
# shows, sorted, matching what was typed) and safe (every completion is one argument token, whatever a
# process calls itself). Processes here rename themselves through /proc/self/comm (prctl PR_SET_NAME),
# as any program may, and the completions go through the real TabExpansion2 and back through the parser.
using namespace System.Management.Automation.Language

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    function Get-Completion([string] $Line) {
        # What pressing Tab at the end of $Line offers.
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }

    function Start-NamedProcess([string] $Name, [int] $ConnectTo) {
        # A bash that names itself $Name, holds a TCP connection to 127.0.0.1:$ConnectTo (none for 0), then waits on stdin.
        # It writes its name to /proc/self/comm (what prctl(PR_SET_NAME) sets). Every write replaces the whole name and
        # bash's printf writes at each newline, so a name with a newline comes from the file name instead: the kernel
        # names a process after the file it runs, here a symbolic link to bash.
        $script = 'if [ -n "$1" ]; then printf "%s" "$1" > /proc/$$/comm || exit 1; fi; if [ "$2" != 0 ]; then exec 3<>"/dev/tcp/127.0.0.1/$2" || exit 1; fi; echo ready; read -r _'
        $program = (Get-Command bash -CommandType Application)[0].Source
        $comm = $Name
        if ($Name.Contains("`n")) {
            $program = Join-Path $linkFolder $Name
            $null = New-Item -ItemType SymbolicLink -Path $program -Target (Get-Command bash -CommandType Application)[0].Source
            $comm = ''
        }
        $info = [System.Diagnostics.ProcessStartInfo]::new($program)
        foreach ($argument in '-c', $script, 'bash', $comm, "$ConnectTo") { $info.ArgumentList.Add($argument) }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $ready = $process.StandardOutput.ReadLine()
        if ($ready -ne 'ready') { $process.Kill(); throw "bash could not name itself '$Name': $ready" }
        [pscustomobject]@{ Name = $Name; Id = $process.Id; Process = $process }
    }

    function Get-CompletionText([string] $Line) { @(Get-Completion $Line | ForEach-Object CompletionText) }

    function Get-ListText([string] $Line) { @(Get-Completion $Line | ForEach-Object ListItemText) }

    function Stop-NamedProcess($Named) {
        foreach ($item in $Named) {
            if ($item -and -not $item.Process.HasExited) { $item.Process.Kill(); $item.Process.WaitForExit(5000) | Out-Null }
        }
    }

    function Get-TokenProblem([string] $Prefix, [string] $Text, [string] $Expected, [type] $Type) {
        # Why $Text typed after $Prefix is not exactly one argument token whose value is $Expected; nothing when it is.
        $tokens = $errors = $null
        $ast = [Parser]::ParseInput($Prefix + $Text, [ref] $tokens, [ref] $errors)
        if ($errors) { return "[$Text] does not parse: $($errors[0].Message)" }
        $argumentTokens = @($tokens | Where-Object Kind -NE 'EndOfInput' | Select-Object -Skip 2)
        if ($argumentTokens.Count -ne 1) { return "[$Text] is $($argumentTokens.Count) tokens: $($argumentTokens.Kind -join ', ')" }
        $commands = @($ast.FindAll({ $args[0] -is [CommandAst] }, $true))
        if ($commands.Count -ne 1 -or $commands[0].CommandElements.Count -ne 3) { return "[$Text] is not one command with one argument" }
        $argument = $commands[0].CommandElements[2]
        if ($argument -isnot [ConstantExpressionAst]) { return "[$Text] is a $($argument.GetType().Name), not a constant" }
        if ($argument -is [StringConstantExpressionAst] -and $argument.StringConstantType -notin 'BareWord', 'SingleQuoted') { return "[$Text] is a $($argument.StringConstantType) string" }
        if ($argument.Value -isnot $Type) { return "[$Text] is a $($argument.Value.GetType().Name), not a $($Type.Name)" }
        if ([string] $argument.Value -cne $Expected) { return "[$Text] has the value [$($argument.Value)], not [$Expected]" }
    }

    # CompletionSnapshot.Lifetime: how long one read of the table serves completion.
    $cacheSeconds = 3
    $linkFolder = Join-Path ([IO.Path]::GetTempPath()) "socktools-completion-$PID"
    $null = New-Item -ItemType Directory -Path $linkFolder -Force
}

AfterAll {
    Remove-Item $linkFolder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Tab completion of socket owners' {
    BeforeAll {
        $peer = Start-SockPeer
        $port = [int] $peer.Send('listen 127.0.0.1 0')[1]
        # Names a process may give itself (comm: at most 15 bytes). All begin with zq (or are odd on purpose) to be found.
        $safeNames = @(
            'zq.plain-1', 'zq|Get-Date', 'zq&y', 'zq;b', 'zq$(evil)', 'zq`b', 'zq b', "zq'q", 'zq"d', 'zq,c', 'zq@{a}',
            'zq#c', 'zq{x}', 'zq<x>', 'zq--%', 'zq/x', 'zq[x', "zq$([char]0x2018)$([char]0x2019)$([char]0x201A)$([char]0x201B)x",
            "zq$([char]0x201C)d$([char]0x201D)", '-zqdash', '0x1F'
        )
        $hiddenNames = @("zq`nnl", "zq`tt", "zq`e[31m", "zq$([char]0x202E)x")
        $named = [System.Collections.Generic.List[object]]::new()
        $silent = $null # set before anything can fail, so AfterAll can always stop what was started
        foreach ($name in $safeNames + $hiddenNames) { $named.Add((Start-NamedProcess $name $port)) }
        $silent = Start-NamedProcess 'zqnosock' 0
        # The first read after these processes started; an earlier read may still be cached for a moment.
        Wait-Until { (Get-CompletionText 'Get-SockConnection -ProcessName zq.pl') -contains 'zq.plain-1' } -TimeoutSeconds ($cacheSeconds + 5) -Because 'a snapshot that shows the renamed processes'
    }

    AfterAll {
        Stop-NamedProcess $named
        Stop-NamedProcess $silent
        $peer.Kill()
    }

    It 'reads each renamed process under the name it chose (the precondition of everything below)' {
        foreach ($item in $named) {
            @(Get-SockConnection -ProcessId $item.Id).ProcessName | Should -BeExactly $item.Name -Because "pid $($item.Id) named itself so"
        }
    }

    It 'offers the names of processes that hold sockets, not of other processes' {
        $offered = (Get-ListText 'Get-SockConnection -ProcessName zq')
        foreach ($name in $safeNames | Where-Object { $_.StartsWith('zq') }) { $offered | Should -Contain $name }
        $offered | Should -Not -Contain 'zqnosock' -Because 'that process holds no socket'
        (Get-ListText 'Get-SockListener -ProcessName SockPe') | Should -Contain 'SockPeer'
    }

    It 'never offers kernel threads' {
        # PF_KTHREAD (0x00200000) in the flags field of /proc/<pid>/stat marks a kernel thread.
        $kernel = [System.Collections.Generic.HashSet[string]]::new()
        $user = [System.Collections.Generic.HashSet[string]]::new()
        foreach ($dir in Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$') {
            try { $stat = [IO.File]::ReadAllText("$($dir.FullName)/stat") } catch { continue }
            $name = $stat.Substring($stat.IndexOf('(') + 1, $stat.LastIndexOf(')') - $stat.IndexOf('(') - 1)
            $flags = [long] $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')[6]
            if ($flags -band 0x00200000) { $null = $kernel.Add($name) } else { $null = $user.Add($name) }
        }
        $kernel.ExceptWith($user) # a name a user process also has may rightly be offered
        if ($kernel.Count -eq 0) { Set-ItResult -Skipped -Because 'no kernel thread is visible in this PID namespace'; return }
        $offered = (Get-ListText 'Get-SockConnection -ProcessName ')
        $offered | Should -Not -BeNullOrEmpty
        @($offered | Where-Object { $kernel.Contains($_) }) | Should -BeNullOrEmpty
    }

    It 'offers names sorted, matching what was typed, wildcards and case included' {
        $offered = [string[]] (Get-ListText 'Get-SockConnection -ProcessName zq')
        $sorted = [string[]] $offered.Clone()
        [Array]::Sort($sorted, [StringComparer]::OrdinalIgnoreCase)
        $offered | Should -Be $sorted
        (Get-ListText 'Get-SockConnection -ProcessName zq*Dat') | Should -Be 'zq|Get-Date'
        (Get-ListText 'Get-SockConnection -ProcessName ZQ.PL') | Should -Be 'zq.plain-1'
        (Get-ListText "Get-SockConnection -ProcessName 'zq|g") | Should -Be 'zq|Get-Date'
        (Get-ListText "Get-SockConnection -ProcessName 'zq''") | Should -Be "zq'q"
    }

    It 'turns every offered name into one argument token whose value is the name' {
        $problems = foreach ($typed in '', 'zq', "'zq", '"zq', "'-zq", '0x', 'zq*') {
            $offered = Get-Completion "Get-SockConnection -ProcessName $typed"
            foreach ($completion in $offered) {
                Get-TokenProblem 'Get-SockConnection -ProcessName ' $completion.CompletionText $completion.ListItemText ([string])
            }
        }
        $problems | Should -BeNullOrEmpty
        $offered = Get-Completion 'Get-SockConnection -ProcessName zq'
        foreach ($name in $safeNames | Where-Object { $_.StartsWith('zq') }) { @($offered | Where-Object ListItemText -CEQ $name).Count | Should -Be 1 }
    }

    It 'quotes a name that would otherwise read as <What>' -ForEach @(
        @{ What = 'a parameter'; Typed = "'-zq"; Name = '-zqdash'; Text = "'-zqdash'" }
        @{ What = 'a number'; Typed = '0x1'; Name = '0x1F'; Text = "'0x1F'" }
        @{ What = 'a pipeline'; Typed = "'zq|"; Name = 'zq|Get-Date'; Text = "'zq|Get-Date'" }
        @{ What = 'a subexpression'; Typed = 'zq$'; Name = 'zq$(evil)'; Text = "'zq`$(evil)'" }
        @{ What = 'the end of a quoted string'; Typed = "'zq''"; Name = "zq'q"; Text = "'zq''q'" }
        @{ What = 'a plain word'; Typed = 'zq.pl'; Name = 'zq.plain-1'; Text = 'zq.plain-1' }
    ) {
        $offered = @(Get-Completion "Get-SockConnection -ProcessName $Typed" | Where-Object ListItemText -CEQ $Name)
        $offered.CompletionText | Should -BeExactly $Text
    }

    It 'doubles the typographic single quotes PowerShell also ends a string with' {
        $name = $safeNames | Where-Object { $_ -match [char]0x2018 }
        $q = [char[]] (0x2018, 0x2019, 0x201A, 0x201B)
        $offered = @(Get-Completion "Get-SockConnection -ProcessName 'zq$($q[0])" | Where-Object ListItemText -CEQ $name)
        $offered.CompletionText | Should -BeExactly "'zq$($q[0])$($q[0])$($q[1])$($q[1])$($q[2])$($q[2])$($q[3])$($q[3])x'"
    }

    It 'takes a typed prefix that is not a valid wildcard as plain text' {
        (Get-ListText "Get-SockConnection -ProcessName 'zq[") | Should -Be 'zq[x'
    }

    It 'leaves out names with newlines, tabs, escape or format characters' {
        $offered = (Get-ListText 'Get-SockConnection -ProcessName ')
        foreach ($name in $hiddenNames) { $offered | Should -Not -Contain $name }
        (Get-ListText 'Get-SockConnection -ProcessName zq?nl') | Should -BeNullOrEmpty
        (Get-ListText 'Get-SockConnection -ProcessName zq?[[]31m') | Should -BeNullOrEmpty
    }

    It 'completes a name that then selects its process' {
        # Names with wildcard characters ([ ] * ? `) are patterns to -ProcessName, so they are not used here.
        foreach ($item in $named | Where-Object { $safeNames -ccontains $_.Name -and $_.Name -notmatch '[\[\]*?`]' }) {
            $typed = if ($item.Name -match '^[-0]') { "'" + $item.Name.Substring(0, 2) } else { 'zq' }
            $completion = Get-Completion "Get-SockConnection -ProcessName $typed" | Where-Object ListItemText -CEQ $item.Name
            $found = & ([scriptblock]::Create("Get-SockConnection -ProcessName $($completion.CompletionText)"))
            @($found).ProcessId | Select-Object -Unique | Should -Be $item.Id -Because "the completion for [$($item.Name)] is $($completion.CompletionText)"
        }
    }

    It 'completes -ProcessId with the pids of socket owners, ascending, each listed with its name' {
        $offered = Get-Completion 'Get-SockConnection -ProcessId '
        $pids = [int[]] $offered.CompletionText
        $pids | Should -Be ($pids | Sort-Object)
        $pids | Should -Contain $peer.Id
        $pids | Should -Not -Contain $silent.Id -Because 'that process holds no socket'
        ($offered | Where-Object CompletionText -EQ "$($peer.Id)").ListItemText | Should -BeExactly "$($peer.Id) SockPeer"
        $plain = $named | Where-Object Name -EQ 'zq|Get-Date'
        ($offered | Where-Object CompletionText -EQ "$($plain.Id)").ToolTip | Should -BeExactly "$($plain.Id) zq|Get-Date"
    }

    It 'matches -ProcessId against the typed digits or the process name' {
        $prefix = "$($peer.Id)".Substring(0, 2)
        $byDigits = (Get-CompletionText "Get-SockListener -ProcessId $prefix")
        $byDigits | Should -Contain "$($peer.Id)"
        $byDigits | ForEach-Object { $_ | Should -BeLike "$prefix*" }
        $byName = [int[]] (Get-CompletionText 'Get-SockListener -ProcessId zq')
        $expected = $named | Where-Object { $_.Name.StartsWith('zq') } | ForEach-Object Id | Sort-Object
        $byName | Should -Be $expected
    }

    It 'shows the hidden characters of a name visibly in the -ProcessId list' {
        $offered = Get-Completion 'Get-SockConnection -ProcessId zq'
        foreach ($item in $named | Where-Object { $hiddenNames -ccontains $_.Name }) {
            $completion = $offered | Where-Object CompletionText -EQ "$($item.Id)"
            $completion | Should -Not -BeNullOrEmpty -Because "pid $($item.Id) holds a socket"
            $completion.ListItemText | Should -Not -Match '[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]'
            $completion.ToolTip | Should -Not -Match '[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]'
        }
        $newline = $named | Where-Object Name -CEQ "zq`nnl"
        ($offered | Where-Object CompletionText -EQ "$($newline.Id)").ListItemText | Should -BeExactly ("$($newline.Id) zq" + '`u{A}nl')
        $escape = $named | Where-Object Name -CEQ "zq`e[31m"
        ($offered | Where-Object CompletionText -EQ "$($escape.Id)").ListItemText | Should -BeExactly ("$($escape.Id) zq" + '`u{1B}[31m')
    }

    It 'turns every offered pid into one argument token whose value is the pid' {
        $problems = foreach ($completion in Get-Completion 'Watch-SockState -ProcessId ') {
            Get-TokenProblem 'Watch-SockState -ProcessId ' $completion.CompletionText ($completion.ListItemText -split ' ')[0] ([int])
        }
        $problems | Should -BeNullOrEmpty
    }
}

Describe 'Tab completion of listening ports' {
    BeforeAll {
        $peer = Start-SockPeer
        $tcp = [int] $peer.Send('listen 127.0.0.1 0')[1]
        $null = $peer.Send("listen ::1 $tcp")
        $null = $peer.Send("udp 127.0.0.1 $tcp") # the same number in UDP's own port space
        $udp = [int] $peer.Send('udp 127.0.0.1 0')[1]
        $client = [int] $peer.Send("connect 127.0.0.1 $tcp")[1] # a connection's local port: not listening
        Wait-Until { (Get-CompletionText "Get-SockListener -Port $udp") -contains "$udp" } -TimeoutSeconds ($cacheSeconds + 5) -Because 'a snapshot that shows the new listeners'
    }

    AfterAll { $peer.Kill() }

    It 'offers each listening port once, ascending, listed with protocol, owner and addresses' {
        $offered = Get-Completion 'Get-SockListener -Port '
        $ports = [int[]] $offered.CompletionText
        $ports | Should -Be ($ports | Sort-Object -Unique)
        ($offered | Where-Object CompletionText -EQ "$tcp").ListItemText | Should -BeExactly "$tcp tcp SockPeer (127.0.0.1, ::1); udp SockPeer (127.0.0.1)"
        ($offered | Where-Object CompletionText -EQ "$udp").ListItemText | Should -BeExactly "$udp udp SockPeer (127.0.0.1)"
        ($offered | Where-Object CompletionText -EQ "$udp").ToolTip | Should -BeExactly "$udp udp SockPeer (127.0.0.1)"
    }

    It 'offers the ports Get-SockListener lists and not the local port of a connection' {
        $offered = [int[]] (Get-CompletionText 'Get-SockListener -Port ')
        $listed = (Get-SockListener -ProcessId $peer.Id).LocalPort | Sort-Object -Unique
        $listed | ForEach-Object { $offered | Should -Contain $_ }
        $offered | Should -Not -Contain $client
    }

    It 'completes <Line>' -ForEach @(
        @{ Line = 'Get-SockListener -LocalPort ' }
        @{ Line = 'Get-SockConnection -Port ' }
        @{ Line = 'Get-SockConnection -LocalPort ' }
        @{ Line = 'Watch-SockState -Port ' }
        @{ Line = 'Watch-SockState -LocalPort ' }
        @{ Line = 'Get-SockListener ' } # -Port is the first positional parameter
    ) {
        (Get-CompletionText $Line) | Should -Contain "$tcp"
    }

    It 'matches the digits typed' {
        $prefix = "$udp".Substring(0, 3)
        $offered = (Get-CompletionText "Get-SockConnection -LocalPort $prefix")
        $offered | Should -Contain "$udp"
        $offered | ForEach-Object { $_ | Should -BeLike "$prefix*" }
        (Get-CompletionText "Get-SockConnection -LocalPort 8000,$prefix") | Should -Contain "$udp"
    }

    It 'turns every offered port into one argument token whose value is the port' {
        $problems = foreach ($completion in Get-Completion 'Get-SockConnection -LocalPort ') {
            Get-TokenProblem 'Get-SockConnection -LocalPort ' $completion.CompletionText ($completion.ListItemText -split ' ')[0] ([int])
        }
        $problems | Should -BeNullOrEmpty
    }
}

Describe 'Tab completion cache' {
    It 'serves repeated Tab presses from one read, and reads again once it is old' {
        $peer = Start-SockPeer
        try {
            $first = [int] $peer.Send('listen 127.0.0.1 0')[1]
            Wait-Until { (Get-CompletionText "Get-SockListener -Port $first") -contains "$first" } -TimeoutSeconds ($cacheSeconds + 5) -Because 'a fresh snapshot'
            $age = [System.Diagnostics.Stopwatch]::StartNew()
            $second = [int] $peer.Send('listen 127.0.0.1 0')[1]
            $again = (Get-CompletionText "Get-SockListener -Port $second")
            if ($age.Elapsed.TotalSeconds -ge $cacheSeconds) { Set-ItResult -Skipped -Because 'the machine was too busy to press Tab again within the cache lifetime'; return }
            $again | Should -Not -Contain "$second" -Because 'the snapshot read a moment ago is reused'
            Wait-Until { (Get-CompletionText "Get-SockListener -Port $second") -contains "$second" } -TimeoutSeconds ($cacheSeconds + 5) -Because 'a new read once the snapshot is old'
        }
        finally { $peer.Kill() }
    }
}

Describe 'Tab completion never fails the prompt' {
    It '<Completer> returns completions or none for odd input, never an error' -ForEach @(
        @{ Completer = 'ProcessNameCompleter' }
        @{ Completer = 'ProcessIdCompleter' }
        @{ Completer = 'PortCompleter' }
    ) {
        $instance = New-Object "SockTools.Completers.$Completer"
        foreach ($word in $null, '', "'", '"', '`', '[', ']', '*', '**', "''''", "$([char]0x2018)", '$(', '-', '99999999999', "a`nb") {
            { $null = @($instance.CompleteArgument('Get-SockConnection', 'X', $word, $null, @{})) } | Should -Not -Throw -Because "the word [$word]"
        }
    }
}
