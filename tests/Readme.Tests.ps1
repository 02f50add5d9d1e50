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
    It 'runs every PowerShell block in order, against a real python3 http.server' {
        if (-not (Get-Command python3 -CommandType Application -ErrorAction SilentlyContinue)) { Set-ItResult -Skipped -Because 'python3 is not installed'; return }
        if (Get-SockListener -Port 8000 -Protocol Tcp) { Set-ItResult -Skipped -Because 'port 8000 is already in use'; return }
        $blocks = @(Get-CodeBlocks 'powershell')
        $blocks.Count | Should -BeGreaterOrEqual 5
        # The built module stands where the README expects it: ./out/SockTools, seen from the repository root.
        # Each block is formatted on its own, as it would be when pasted at the prompt; variables carry over.
        $script = "`$ErrorActionPreference = 'Stop'; `$PSStyle.OutputRendering = 'PlainText'`n" +
            (($blocks | ForEach-Object { ". {`n$_`n} | Out-String -Width 200" }) -join "`n") + "`n'WALKTHROUGH OK'"
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
        $text | Should -Match '127\.0\.0\.1:8000\s+Loopback'
        $text | Should -Match 'TimeWait'
        $text | Should -Match 'python3'
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
}
