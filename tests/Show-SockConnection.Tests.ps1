# Show-SockConnection for real: the view runs in a tmux terminal of fixed size (100x30) on real sockets of two
# SockPeer processes; the test reads the screen with its colours (tmux capture-pane -e), types keys (send-keys), and
# checks what the terminal and the process table look like after q.

BeforeDiscovery {
    $canRun = [bool] (Get-Command tmux -CommandType Application -ErrorAction Ignore) -and [Environment]::Version.Major -ge 10
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest

    $session = "sockshow-$PID"
    $work = Join-Path ([IO.Path]::GetTempPath()) "sockshow-$PID"
    New-Item -ItemType Directory -Path $work -Force | Out-Null

    # Terminal.Gui draws in 24-bit colour: the backgrounds of new (bright green) and closed (red) rows.
    $green = '22;198;12'
    $red = '255;0;0'

    function Get-Screen {
        # The screen as rows of text, each with the background colour its text starts in (an SGR sets the colour
        # until the next one, across lines, so the colour is followed from the top of the screen).
        $background = $null
        foreach ($line in & tmux capture-pane -p -e -t $session) {
            # The colour of a row is the one in force at its first character: set by the escape codes before it,
            # or carried from an earlier line.
            $lead = ([regex]::Match($line, '^(?:\x1b\[[0-9;]*m)*')).Value
            foreach ($sgr in [regex]::Matches($lead, '(?:\[|;)48;2;(\d+;\d+;\d+)')) { $background = $sgr.Groups[1].Value }
            $start = $background
            foreach ($sgr in [regex]::Matches($line, '(?:\[|;)48;2;(\d+;\d+;\d+)')) { $background = $sgr.Groups[1].Value }
            [pscustomobject]@{ Text = $line -replace '\x1b\[[0-9;?]*[A-Za-z]', ''; Background = $start }
        }
    }

    function Wait-Screen {
        # Polls the screen until $Condition (given the rows) holds; returns the rows then.
        param([scriptblock] $Condition, [double] $TimeoutSeconds, [string] $Because)
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        do {
            $rows = @(Get-Screen)
            if (& $Condition $rows) { return $rows }
            Start-Sleep -Milliseconds 100
        } while ([DateTime]::UtcNow -lt $deadline)
        throw "Not on screen after $TimeoutSeconds s: $Because. Screen:`n$(($rows.Text) -join "`n")"
    }

    function Find-Row($rows, [string] $local, [string] $remote) {
        @($rows | Where-Object { $_.Text -match "\s$([regex]::Escape($local))\s+$([regex]::Escape($remote))(\s|$)" })
    }

    function Send-Key { & tmux send-keys -t $session @args }

    $server = Start-SockPeer
    $client = Start-SockPeer
    $listenerId, $port = $server.Send('listen 127.0.0.1 0')
    $otherId, $otherPort = $server.Send('listen 127.0.0.1 0')
    $first = [Math]::Min([int] $port, [int] $otherPort)

    # What runs in the terminal: the view between two snapshots of the terminal's modes (stty for the line
    # discipline, tmux for the screen modes a program can switch), then the rows of -PassThru. The shell around it
    # sleeps afterwards, so the pane stays for the checks and its processes can be listed.
    $modes = '#{alternate_on} #{cursor_flag} #{insert_flag} #{keypad_cursor_flag} #{keypad_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag} #{mouse_sgr_flag} #{mouse_utf8_flag} #{origin_flag} #{wrap_flag} #{scroll_region_upper} #{scroll_region_lower}'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$env:SOCKTOOLS_TEST_MODULE'
stty -g > '$work/stty-before.txt'
tmux display-message -p -t '$session' '$modes' > '$work/modes-before.txt'
`$rows = Show-SockConnection -Port $port, $otherPort -State Listen, Established -IntervalSeconds 1 -PassThru
stty -g > '$work/stty-after.txt'
tmux display-message -p -t '$session' '$modes' > '$work/modes-after.txt'
`$rows | Export-Clixml '$work/passthru.xml'
`$view = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Terminal.Gui' }
[System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$view).Name | Set-Content '$work/context.txt'
"@
    Set-Content -Path "$work/show.ps1" -Value $script
    $pwsh = "dotnet '$(Join-Path $PSHOME 'pwsh.dll')' -NoProfile -NoLogo -NonInteractive -File '$work/show.ps1'"
    $canRunHere = [bool] (Get-Command tmux -CommandType Application -ErrorAction Ignore) -and [Environment]::Version.Major -ge 10
    if ($canRunHere) {
        & tmux new-session -d -s $session -x 100 -y 30 "sh -c `"$pwsh; echo `$? > '$work/exit.txt'; exec sleep 600`""
        $panePid = [int] (& tmux display-message -p -t $session '#{pane_pid}')
    }
}

AfterAll {
    if ($session) { & tmux kill-session -t $session 2>$null }
    foreach ($peer in $server, $client) { if ($peer) { $peer.Kill() } }
    if ($work) { Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Show-SockConnection in a terminal' -Skip:(-not $canRun) {
    It 'draws the table of the sockets its filters select, with a status line of counts per state and the time' {
        # Waited for whole: rows, status line and key line (a capture can fall in the middle of a redraw).
        $rows = Wait-Screen { param($r) (Find-Row $r "127.0.0.1:$port" '0.0.0.0:*') -and (Find-Row $r "127.0.0.1:$otherPort" '0.0.0.0:*') -and $r[-2].Text -match 'Listen 2' -and $r[-1].Text -match 'q quit' } -TimeoutSeconds 30 -Because 'both listeners'
        $rows[0].Text | Should -Match '^\s+Proto\s+State\s+Local▲\s+Remote\s+PID\s+Process\s*$' -Because 'headers are property names; ▲ marks the sort column'
        (Find-Row $rows "127.0.0.1:$port" '0.0.0.0:*')[0].Text | Should -Match "Tcp\s+Listen\s+127\.0\.0\.1:$port\s+0\.0\.0\.0:\*\s+$($server.Id) SockPeer"
        $rows[-2].Text | Should -Match '^\d\d:\d\d:\d\d  Listen 2\s*$'
        $rows[-1].Text | Should -Match 'q quit'
        @($rows | Where-Object Text -match '^..\s+Tcp\s').Count | Should -Be 2 -Because 'only the two listeners pass -Port and -State'
    }

    It 'shows a new connection green within two refreshes, both of its ends' {
        $connection, $clientPort = $client.Send("connect 127.0.0.1 $port")
        $accepted, $null = $server.Send("accept $listenerId")
        $script:connection = $connection; $script:accepted = $accepted; $script:clientPort = $clientPort
        # Within two refreshes: the refresh time on the status line may change at most twice before the rows show
        # (counted, not timed, so a slow look on a busy machine does not fail the test).
        $times = [System.Collections.Generic.List[string]]::new()
        $rows = Wait-Screen {
            param($r)
            $time = $r[-2].Text.Substring(0, 8)
            if ($times.Count -eq 0 -or $times[-1] -ne $time) { $times.Add($time) }
            (Find-Row $r "127.0.0.1:$clientPort" "127.0.0.1:$port") -and (Find-Row $r "127.0.0.1:$port" "127.0.0.1:$clientPort")
        } -TimeoutSeconds 10 -Because 'both ends of the new connection'
        $times.Count | Should -BeLessOrEqual 3 -Because "the rows must show within two refreshes (refresh times seen: $($times -join ', '))"
        foreach ($row in (Find-Row $rows "127.0.0.1:$clientPort" "127.0.0.1:$port"), (Find-Row $rows "127.0.0.1:$port" "127.0.0.1:$clientPort")) {
            $row[0].Text | Should -Match '^\+ ' -Because 'the mark says new without colour'
            $row[0].Text | Should -Match 'Established'
            # The row under the cursor has the cursor's colour; the new rows are below the first listener.
            $row[0].Background | Should -Be $green
        }
        # The status line is drawn after the rows: a capture can fall between the two, so it is waited for too.
        $null = Wait-Screen { param($r) $r[-2].Text -match '^\d\d:\d\d:\d\d  Listen 2  Established 2  \+2 -0\s*$' } -TimeoutSeconds 3 -Because 'the counts of the new connection'
    }

    It 'keeps a closed connection red for a moment, then drops it' {
        $null = $client.Send("close $connection")
        $null = $server.Send("close $accepted")
        $rows = Wait-Screen { param($r) $row = Find-Row $r "127.0.0.1:$clientPort" "127.0.0.1:$port"; $row -and $row[0].Text -match '^- ' } -TimeoutSeconds 2.5 -Because 'the closed connection marked'
        (Find-Row $rows "127.0.0.1:$clientPort" "127.0.0.1:$port")[0].Background | Should -Be $red
        $null = Wait-Screen { param($r) -not (Find-Row $r "127.0.0.1:$clientPort" "127.0.0.1:$port") -and -not (Find-Row $r "127.0.0.1:$port" "127.0.0.1:$clientPort") } -TimeoutSeconds 6 -Because 'closed rows go after three seconds'
    }

    It 'filters by what is typed after /, and / Esc clears the filter' {
        Send-Key '/'
        Send-Key -l "$otherPort"
        Send-Key Enter
        $rows = Wait-Screen { param($r) -not (Find-Row $r "127.0.0.1:$port" '0.0.0.0:*') -and (Find-Row $r "127.0.0.1:$otherPort" '0.0.0.0:*') } -TimeoutSeconds 3 -Because "only port $otherPort"
        $null = Wait-Screen { param($r) $r[-2].Text -match "filter: $otherPort \(1 of \d+\)" } -TimeoutSeconds 3 -Because 'the filter on the status line'
        Send-Key '/'
        Send-Key Escape
        $null = Wait-Screen { param($r) (Find-Row $r "127.0.0.1:$port" '0.0.0.0:*') -and (Find-Row $r "127.0.0.1:$otherPort" '0.0.0.0:*') } -TimeoutSeconds 3 -Because 'both listeners again'
    }

    It 'closes the connection under the cursor on Delete, after a confirmation, through Close-SockConnection''s closer' {
        if (-not (Test-IsRoot)) { Set-ItResult -Skipped -Because 'closing another process''s socket (SOCK_DESTROY) needs root'; return }
        $connection, $clientPort = $client.Send("connect 127.0.0.1 $port")
        $null = $server.Send("accept $listenerId")
        # Filtered to the client's port, the two ends of the connection are the only rows; Home puts the cursor on one.
        Send-Key '/'
        Send-Key -l "$clientPort"
        Send-Key Enter
        $null = Wait-Screen { param($r) @($r | Where-Object Text -match '^..\s+Tcp\s+Established').Count -eq 2 } -TimeoutSeconds 5 -Because 'both ends of the new connection, alone'
        Send-Key Home
        Send-Key Delete
        $null = Wait-Screen { param($r) $r[-1].Text -match '^Close Tcp 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+\? y/n\s*$' } -TimeoutSeconds 3 -Because 'the question on the last line'
        Send-Key y
        $rows = Wait-Screen { param($r) $r[-1].Text -match '^Closed Tcp Established' } -TimeoutSeconds 3 -Because 'the closer''s answer on the last line'
        $client.Send("read $connection 3000") | Should -BeIn 'ConnectionAborted', 'ConnectionReset' -Because 'one end was destroyed, the other reset'
        Send-Key '/'
        Send-Key Escape
        $null = Wait-Screen { param($r) -not ($r.Text -match "127\.0\.0\.1:$clientPort\s") } -TimeoutSeconds 8 -Because 'the closed connection gone'
    }

    It 'fits a terminal resized to 80 columns, cutting no value' {
        & tmux resize-window -t $session -x 80 -y 24
        $rows = Wait-Screen { param($r) $r.Count -eq 24 -and $r[-1].Text -match 'q quit' } -TimeoutSeconds 5 -Because 'the view redrawn at 80x24'
        foreach ($row in $rows) { $row.Text.TrimEnd().Length | Should -BeLessOrEqual 80 }
        (Find-Row $rows "127.0.0.1:$port" '0.0.0.0:*')[0].Text | Should -Match "Tcp\s+Listen\s+127\.0\.0\.1:$port\s+0\.0\.0\.0:\*\s+$($server.Id) SockPeer\s*$"
        & tmux resize-window -t $session -x 100 -y 30
        $null = Wait-Screen { param($r) $r.Count -eq 30 -and $r[-1].Text -match 'q quit' } -TimeoutSeconds 5 -Because 'the view redrawn at 100x30'
    }

    It 'sorts by another column with > and turns the direction with r' {
        Send-Key '>'
        $rows = Wait-Screen { param($r) $r[0].Text -match 'Remote▲' } -TimeoutSeconds 3 -Because 'the sort mark on Remote'
        Send-Key 'r'
        $null = Wait-Screen { param($r) $r[0].Text -match 'Remote▼' } -TimeoutSeconds 3 -Because 'Remote sorted the other way'
        Send-Key '<'
        $null = Wait-Screen { param($r) $r[0].Text -match 'Local▲' } -TimeoutSeconds 3 -Because 'back to Local'
    }

    It 'shows every property of the row under the cursor on Enter, and Esc closes the details' {
        Send-Key Home # the first row: the listener with the lower port
        Send-Key Enter
        $rows = Wait-Screen { param($r) ($r.Text -join "`n") -match 'Exposure\s+: Loopback' } -TimeoutSeconds 3 -Because 'the details dialog'
        ($rows.Text -join "`n") | Should -Match "LocalPort\s+: $first"
        ($rows.Text -join "`n") | Should -Match "ProcessId\s+: $($server.Id)"
        Send-Key Escape
        $null = Wait-Screen { param($r) ($r.Text -join "`n") -notmatch 'Exposure\s+:' -and $r[-1].Text -match 'q quit' } -TimeoutSeconds 3 -Because 'the table again'
    }

    It 'quits on q, writes the row selected with Space, and leaves the terminal and the process table as they were' {
        Send-Key Home
        Send-Key Space
        $null = Wait-Screen { param($r) (Find-Row $r "127.0.0.1:$first" '0.0.0.0:*')[0].Text -match '^ \*' } -TimeoutSeconds 3 -Because 'the selection mark'
        Send-Key q
        Wait-Until { Test-Path "$work/exit.txt" } -TimeoutSeconds 15 -Because 'the view to end and its PowerShell to exit'
        Get-Content "$work/exit.txt" | Should -Be '0'
        $selected = @(Import-Clixml "$work/passthru.xml")
        $selected | Should -HaveCount 1
        $selected[0].LocalPort | Should -Be $first
        [SockTools.SocketState] $selected[0].State | Should -Be 'Listen' # Clixml gives the enum back as its number
        Get-Content "$work/stty-after.txt" | Should -Be (Get-Content "$work/stty-before.txt") -Because 'the line discipline (echo, canonical mode) is restored'
        Get-Content "$work/modes-after.txt" | Should -Be (Get-Content "$work/modes-before.txt") -Because 'no alternate screen, mouse mode, hidden cursor or keypad mode is left on'
        (Get-Content "$work/modes-after.txt") -split ' ' | Select-Object -First 2 | Should -Be '0', '1' -Because 'the normal screen, with the cursor visible'
        Get-Content "$work/context.txt" | Should -Be 'SockTools.LiveView' -Because 'Terminal.Gui is loaded into the view''s own AssemblyLoadContext'
        # The shell ran PowerShell as its child and then became 'sleep' (exec): the view's PowerShell is gone and
        # nothing it started is left.
        (& ps -o comm= -p $panePid) | Should -Be 'sleep'
        @(& ps --ppid $panePid -o pid= | Where-Object { $_ }) | Should -BeNullOrEmpty
        @(& ps -eo args= | Where-Object { $_ -like "dotnet *$work/show.ps1*" }) | Should -BeNullOrEmpty
    }
}

Describe 'Show-SockConnection without a terminal' {
    It 'stops with SockTools.LiveViewNeedsTerminal when its input is redirected' {
        $command = "Import-Module '$env:SOCKTOOLS_TEST_MODULE'; try { Show-SockConnection } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category.ToString(); `$_.TargetObject; `$_.ErrorDetails.RecommendedAction }"
        $out = @('' | & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $command)
        $out[0] | Should -Be 'SockTools.LiveViewNeedsTerminal,SockTools.Commands.ShowSockConnectionCommand'
        $out[1] | Should -Be 'InvalidOperation'
        $out[2] | Should -Be 'its input is redirected'
        $out[3] | Should -Match 'Watch-SockState'
    }

    It 'rejects an interval out of range at binding time, naming the range' {
        { Show-SockConnection -IntervalSeconds 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,SockTools.Commands.ShowSockConnectionCommand'
        { Show-SockConnection -IntervalSeconds 0 } | Should -Throw '*0.2*'
    }
}

Describe 'Show-SockConnection loading' {
    It 'leaves Terminal.Gui and the view unloaded by Import-Module and by the other cmdlets' {
        $command = "Import-Module '$env:SOCKTOOLS_TEST_MODULE'; `$null = Get-SockConnection -WarningAction Ignore; `$null = Get-Command Show-SockConnection; [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name -match '^(Terminal\.Gui|SockTools\.LiveView)$'; 'END'"
        $out = @(& dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $command)
        $out | Should -Be 'END'
    }

    It 'ships the view and Terminal.Gui in the module''s LiveView folder, without a copy of SockTools.dll or PowerShell' {
        $folder = Join-Path (Split-Path $env:SOCKTOOLS_TEST_MODULE) 'LiveView'
        Test-Path (Join-Path $folder 'SockTools.LiveView.dll') | Should -BeTrue
        Test-Path (Join-Path $folder 'Terminal.Gui.dll') | Should -BeTrue
        Test-Path (Join-Path $folder 'SockTools.dll') | Should -BeFalse
        Test-Path (Join-Path $folder 'System.Management.Automation.dll') | Should -BeFalse
    }

    It 'is in the package: the view and Terminal.Gui in LiveView/' {
        if (-not (Test-Path $env:SOCKTOOLS_TEST_PACKAGE)) { Set-ItResult -Skipped -Because 'no package was built (build.ps1 -Task Package)'; return }
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($env:SOCKTOOLS_TEST_PACKAGE)
        try { $names = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        $names | Should -Contain 'LiveView/SockTools.LiveView.dll'
        $names | Should -Contain 'LiveView/Terminal.Gui.dll'
        $names | Should -Not -Contain 'LiveView/SockTools.dll'
    }
}
