# The README's commands must run as written: the walkthrough is executed, the habit table is checked
# against the cmdlets' real parameters.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest
    $root = Split-Path $PSScriptRoot
    $readme = Get-Content -Raw (Join-Path $root 'README.md')

    function Get-CodeBlocks([string] $Language) {
        [regex]::Matches($readme, "(?ms)^``````$Language\r?\n(.*?)^``````") | ForEach-Object { $_.Groups[1].Value }
    }
}

Describe 'README walkthrough' {
    It 'runs every PowerShell block in order, against a real python3 http.server, and shows what the README shows' {
        if (-not (Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue)) { Set-ItResult -Skipped -Because 'python3 is not installed'; return }
        if (Get-SockListener -Port 8000 -Protocol Tcp) { Set-ItResult -Skipped -Because 'port 8000 is already in use'; return }
        # Each powershell block, and the text block that follows it in the README (what the reader will see).
        $pairs = [regex]::Matches($readme, "(?ms)^``````powershell\r?\n(.*?)^``````\s*(?:^``````text\r?\n(.*?)^``````)?") |
            ForEach-Object { [pscustomobject]@{ Code = $_.Groups[1].Value; Shown = $_.Groups[2].Value } }
        $pairs.Count | Should -BeGreaterOrEqual 7
        # The built module stands where the README expects it: ./out/SockTools, seen from the repository root.
        # Each block is formatted on its own at 80 columns, as when pasted at the prompt; variables carry over.
        $script = "`$ErrorActionPreference = 'Stop'; `$PSStyle.OutputRendering = 'PlainText'`n" +
            ((0..($pairs.Count - 1) | ForEach-Object { "'### BLOCK $_'`n. {`n$($pairs[$_].Code)`n} | Out-String -Width 80" }) -join "`n") + "`n'WALKTHROUGH OK'"
        Push-Location $root
        try {
            $out = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script 2>&1
        }
        finally {
            Pop-Location
            Get-SockListener -Port 8000 -LocalAddress 127.0.0.1 | Where-Object ProcessName -eq 'python3' | Stop-Process -ErrorAction SilentlyContinue
        }
        $text = $out -join "`n"
        $text | Should -Match 'WALKTHROUGH OK'
        $real = $text -split '### BLOCK \d+'
        for ($i = 0; $i -lt $pairs.Count; $i++) {
            $shown = $pairs[$i].Shown
            if (-not $shown) { continue }
            $got = $real[$i + 1]
            $header = (($shown -split "`n")[0] -split '\s+' | Where-Object { $_ }) -join '\s+'
            $got | Should -Match "(?m)^\s*$header\s*$" -Because "block $i shows these columns in the README"
            foreach ($line in $got -split "`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
            $got | Should -Not -Match '…' -Because "block $i cuts no value at 80 columns"
        }
        $real[2] | Should -Match '127\.0\.0\.1:8000\s+Loopback'
        @($real[5] -split "`n" | Where-Object { $_ -match 'TimeWait' }).Count | Should -BeGreaterOrEqual 3 -Because 'two closed connections and the Test-SockPort probe'
        $real[6] | Should -Match 'Opened'
        $real[7] | Should -Match 'Refused'
        $real[7] | Should -Not -Match 'Loopback' -Because 'no listener is left'
    }
}

Describe 'README habit table' {
    It 'uses only cmdlets and parameters that exist' {
        $rows = [regex]::Matches($readme, '(?m)^\|[^|\n]*\|\s*`([^`]+)`\s*\|\s*$') | ForEach-Object { $_.Groups[1].Value -replace '\\\|', '|' }
        $rows.Count | Should -BeGreaterOrEqual 10
        foreach ($line in $rows) {
            $tokens = $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($line, [ref] $tokens, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because $line
            $commands = $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)
            foreach ($command in $commands) {
                $name = $command.GetCommandName()
                $info = Get-Command $name -ErrorAction Stop
                if ($info.ModuleName -ne 'SockTools') { continue }
                foreach ($parameter in $command.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                    $known = $info.Parameters.Values | Where-Object { $_.Name -eq $parameter.ParameterName -or $_.Aliases -contains $parameter.ParameterName }
                    $known | Should -Not -BeNullOrEmpty -Because "'$line' uses -$($parameter.ParameterName)"
                }
            }
        }
    }

    It 'uses only cmdlets and parameters that exist in the ps1 blocks (namespaces and many hosts: root and other hosts)' {
        # These blocks need root, namespaces or hosts of the reader's own, so they are parsed and checked here;
        # tests/NetworkNamespace.Tests.ps1 and tests/Remoting.Tests.ps1 run the same commands for real.
        $blocks = @(Get-CodeBlocks 'ps1')
        $blocks.Count | Should -BeGreaterOrEqual 3
        foreach ($block in $blocks) {
            $tokens = $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($block, [ref] $tokens, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because $block
            foreach ($command in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $info = Get-Command $command.GetCommandName() -ErrorAction Stop
                foreach ($parameter in $command.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                    $known = $info.Parameters.Values | Where-Object { $_.Name -eq $parameter.ParameterName -or $_.Aliases -contains $parameter.ParameterName }
                    $known | Should -Not -BeNullOrEmpty -Because "$($info.Name) in the README takes -$($parameter.ParameterName)"
                }
            }
        }
    }
}
