# The module as a product: its manifest, its package, and its views after serialization.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest
    $module = Get-Module SockTools
    $manifestPath = Join-Path $module.ModuleBase 'SockTools.psd1'
    $manifest = Import-PowerShellDataFile $manifestPath
}

Describe 'SockTools manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'runs on PowerShell 5.1 and 7 (Desktop and Core)' {
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
    }

    It 'exports exactly the cmdlets the assembly defines, listed without wildcards' {
        $manifest.CmdletsToExport | Should -Not -Contain '*'
        $defined = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SockTools' } |
            ForEach-Object { $_.GetExportedTypes() } |
            Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" }
        ($manifest.CmdletsToExport | Sort-Object) | Should -Be ($defined | Sort-Object)
        ((Get-Command -Module SockTools).Name | Sort-Object) | Should -Be ($defined | Sort-Object)
    }

    It 'carries gallery metadata without placeholders' {
        $manifest.Description | Should -Match 'socket'
        $manifest.Author | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.Tags | Should -Contain 'network'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'netstat'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'Linux'
        $manifest.PrivateData.PSData.LicenseUri | Should -Match '^https://'
        $manifest.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $manifest.FormatsToProcess | Should -Be 'SockTools.Format.ps1xml'
        $manifest.TypesToProcess | Should -Be 'SockTools.Types.ps1xml'
    }
}

Describe 'SockTools views after serialization' {
    It 'shows listeners back from a job with the same columns' {
        $peer = Start-SockPeer
        try {
            $null, $port = $peer.Send('listen 127.0.0.1 0')
            $back = Start-Job { param($m, $p) Import-Module $m; Get-SockListener -Port $p } -ArgumentList $manifestPath, $port | Receive-Job -Wait -AutoRemoveJob
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.SockTools.SocketEntry#Listener'
            $text = $back | Out-String -Width 200
            $text | Should -Match 'Exposure'
            $text | Should -Match "127\.0\.0\.1:$port\s+Loopback"
            $text | Should -Match 'SockPeer'
        }
        finally { $peer.Kill() }
    }

    It 'shows connections back from a job like ss' {
        $peer = Start-SockPeer
        try {
            $null, $port = $peer.Send('listen ::1 0')
            $back = Start-Job { param($m, $p) Import-Module $m; Get-SockConnection -LocalPort $p } -ArgumentList $manifestPath, $port | Receive-Job -Wait -AutoRemoveJob
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.SockTools.SocketEntry'
            ($back | Out-String -Width 200) | Should -Match ([regex]::Escape("[::1]:$port") + '\s+' + [regex]::Escape('[::]:*'))
        }
        finally { $peer.Kill() }
    }
}

Describe 'SockTools package' {
    It 'installs from a local repository with Install-PSResource and imports by name' {
        $package = $env:SOCKTOOLS_TEST_PACKAGE
        if (-not $package -or -not (Test-Path $package)) { Set-ItResult -Skipped -Because 'no package: run build.ps1 -Task Test, which makes it first'; return }
        $home2 = Join-Path ([IO.Path]::GetTempPath()) "socktools-install-$PID"
        $feed = Join-Path $home2 'feed'
        # PSResourceGet keeps its settings under XDG_DATA_HOME; the folders must exist or it writes into the current directory.
        foreach ($dir in $feed, "$home2/.local/share", "$home2/.config", "$home2/.cache") { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
        Copy-Item $package $feed
        try {
            # A fresh HOME: the repository registration and the CurrentUser install land there, not in the real profile.
            $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name LocalFeed -Uri '$feed' -Trusted
Install-PSResource -Name SockTools -Repository LocalFeed -Scope CurrentUser -TrustRepository -Quiet
Import-Module SockTools
"MODULE `$((Get-Module SockTools).ModuleBase)"
"LISTENERS `$(@(Get-SockListener -Protocol Tcp).Count)"
"@
            $out = & env "HOME=$home2" "XDG_DATA_HOME=$home2/.local/share" "XDG_CONFIG_HOME=$home2/.config" "XDG_CACHE_HOME=$home2/.cache" "PSModulePath=" dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script 2>&1
            $text = $out -join "`n"
            $text | Should -Match ([regex]::Escape("MODULE $home2"))
            $text | Should -Match 'LISTENERS [1-9]'
        }
        finally { Remove-Item $home2 -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
