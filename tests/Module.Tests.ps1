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

    It 'claims what is true today: Windows PowerShell 5.1 and PowerShell 7, on Linux, Windows and macOS' {
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $tags = $manifest.PrivateData.PSData.Tags
        foreach ($claim in 'PSEdition_Core', 'PSEdition_Desktop', 'Linux', 'Windows', 'MacOS') { $tags | Should -Contain $claim }
    }

    It 'has a reader in the assembly for every system it tags, and tags every system it has a reader for' {
        # Each OS keeps its reader in SockTools.Table.<OS> (an ISocketTableReader); the tags must name exactly those.
        $assembly = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SockTools' }
        $readerType = $assembly.GetType('SockTools.Table.ISocketTableReader', $true)
        $readerSystems = @($assembly.GetTypes() | Where-Object { $readerType.IsAssignableFrom($_) -and -not $_.IsInterface -and -not $_.IsAbstract } |
            ForEach-Object { $_.Namespace -replace '^SockTools\.Table\.', '' } | Sort-Object -Unique)
        $readerSystems | Should -Be @('Linux', 'MacOS', 'Windows')
        $osTags = @($manifest.PrivateData.PSData.Tags | Where-Object { $_ -in 'Linux', 'Windows', 'MacOS', 'FreeBSD' } | Sort-Object)
        $osTags | Should -Be $readerSystems
    }

    It 'picks the reader of the system it runs on' {
        $assembly = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SockTools' }
        $platform = $assembly.GetType('SockTools.Table.SocketPlatform', $true).GetProperty('Current', [System.Reflection.BindingFlags] 'Static, NonPublic').GetValue($null)
        $expected = if ($IsLinux) { 'Linux' } elseif ($IsMacOS) { 'MacOS' } else { 'Windows' }
        $platform.GetType().GetProperty('Reader', [System.Reflection.BindingFlags] 'Instance, NonPublic').GetValue($platform).GetType().Namespace | Should -Be "SockTools.Table.$expected"
    }

    It 'loads in Windows PowerShell 5.1 and PowerShell 7 as claimed: netstandard2.0, against the 5.1 API, nothing else referenced' {
        # If the assembly moves to a newer target or a newer PowerShell API, the Desktop claim and
        # PowerShellVersion must move with it.
        $assembly = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SockTools' }
        $target = $assembly.GetCustomAttributes([System.Runtime.Versioning.TargetFrameworkAttribute], $false)[0].FrameworkName
        $target | Should -Be '.NETStandard,Version=v2.0'
        $references = @($assembly.GetReferencedAssemblies())
        ($references.Name | Sort-Object) | Should -Be @('netstandard', 'System.Management.Automation')
        # 3.0.0.0 is the assembly version of Windows PowerShell 5.1's System.Management.Automation.
        ($references | Where-Object Name -EQ 'System.Management.Automation').Version | Should -BeLessOrEqual ([version] '3.0.0.0')
        [version] $manifest.DotNetFrameworkVersion | Should -BeGreaterOrEqual ([version] '4.7.2') -Because 'Windows PowerShell loads netstandard2.0 assemblies on .NET Framework 4.7.2 and later'
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

    It 'tags each exported cmdlet as PSCommand_ and its name (what Find-PSResource -CommandName searches), and PSIncludes_Cmdlet' {
        $tags = $manifest.PrivateData.PSData.Tags
        $commandTags = @($tags | Where-Object { $_ -like 'PSCommand_*' } | ForEach-Object { $_.Substring('PSCommand_'.Length) })
        ($commandTags | Sort-Object) | Should -Be ($manifest.CmdletsToExport | Sort-Object)
        $tags | Should -Contain 'PSIncludes_Cmdlet'
        $tags | Should -Not -Contain 'PSIncludes_Function' -Because 'the module exports no functions'
    }

    It 'has release notes that cover every exported cmdlet' {
        foreach ($cmdlet in $manifest.CmdletsToExport) {
            $manifest.PrivateData.PSData.ReleaseNotes | Should -Match "\b$cmdlet\b"
        }
    }

    It 'carries the license in the module folder' {
        $license = Join-Path $module.ModuleBase 'LICENSE'
        $license | Should -Exist
        Get-Content -Raw $license | Should -BeExactly (Get-Content -Raw (Join-Path $PSScriptRoot '../LICENSE'))
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
    BeforeAll {
        $package = $env:SOCKTOOLS_TEST_PACKAGE
        $noPackage = -not $package -or -not (Test-Path $package)

        function Invoke-WithFeed([string] $Script) {
            # Runs $Script in a new pwsh whose HOME is fresh and whose repository LocalFeed holds only the package,
            # so the registration and any CurrentUser install land there, not in the real profile. Returns its output.
            $home2 = Join-Path ([IO.Path]::GetTempPath()) "socktools-install-$PID"
            $feed = Join-Path $home2 'feed'
            # PSResourceGet keeps its settings under XDG_DATA_HOME; the folders must exist or it writes into the current directory.
            foreach ($dir in $feed, "$home2/.local/share", "$home2/.config", "$home2/.cache") { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
            Copy-Item $package $feed
            try {
                $setup = "`$ErrorActionPreference = 'Stop'`nRegister-PSResourceRepository -Name LocalFeed -Uri '$feed' -Trusted`n"
                $out = & env "HOME=$home2" "XDG_DATA_HOME=$home2/.local/share" "XDG_CONFIG_HOME=$home2/.config" "XDG_CACHE_HOME=$home2/.cache" "PSModulePath=" dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command ($setup + $Script) 2>&1
                [pscustomobject]@{ Home = $home2; Text = $out -join "`n" }
            }
            finally { Remove-Item $home2 -Recurse -Force -ErrorAction SilentlyContinue }
        }

        function Open-Package {
            # The .nupkg is a zip: its entries are the module's files plus NuGet's own (nuspec, _rels, package/, [Content_Types].xml).
            [System.IO.Compression.ZipFile]::OpenRead($package)
        }
    }

    It 'installs from a local repository with Install-PSResource and imports by name' {
        if ($noPackage) { Set-ItResult -Skipped -Because 'no package: run build.ps1 -Task Test, which makes it first'; return }
        $result = Invoke-WithFeed @"
Install-PSResource -Name SockTools -Repository LocalFeed -Scope CurrentUser -TrustRepository -Quiet
Import-Module SockTools
"MODULE `$((Get-Module SockTools).ModuleBase)"
"LISTENERS `$(@(Get-SockListener -Protocol Tcp).Count)"
"@
        $result.Text | Should -Match ([regex]::Escape("MODULE $($result.Home)"))
        $result.Text | Should -Match 'LISTENERS [1-9]'
    }

    It 'is found by Find-PSResource -CommandName for each exported cmdlet' {
        if ($noPackage) { Set-ItResult -Skipped -Because 'no package: run build.ps1 -Task Test, which makes it first'; return }
        $finds = foreach ($cmdlet in $manifest.CmdletsToExport) { "'FOUND $cmdlet ' + (@(Find-PSResource -CommandName $cmdlet -Repository LocalFeed).ParentResource.Name -join ',')" }
        $result = Invoke-WithFeed (($finds + "'FOUND Get-Nothing ' + (@(Find-PSResource -CommandName Get-Nothing -Repository LocalFeed -ErrorAction SilentlyContinue).Count)") -join "`n")
        foreach ($cmdlet in $manifest.CmdletsToExport) { $result.Text | Should -Match "(?m)^FOUND $cmdlet SockTools$" }
        $result.Text | Should -Match '(?m)^FOUND Get-Nothing 0$' -Because 'the search must be able to come back empty'
    }

    It 'holds exactly the built module folder, LICENSE included' {
        if ($noPackage) { Set-ItResult -Skipped -Because 'no package: run build.ps1 -Task Test, which makes it first'; return }
        $built = @(Get-ChildItem $module.ModuleBase -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($module.ModuleBase, $_.FullName).Replace('\', '/') })
        $zip = Open-Package
        try {
            $nugetOwn = '^(SockTools\.nuspec|\[Content_Types\]\.xml|_rels/.*|package/.*)$'
            $files = @($zip.Entries.FullName | Where-Object { $_ -notmatch $nugetOwn })
            ($files | Sort-Object) | Should -Be ($built | Sort-Object)
            $reader = [IO.StreamReader]::new($zip.GetEntry('LICENSE').Open())
            try { $reader.ReadToEnd() | Should -BeExactly (Get-Content -Raw (Join-Path $PSScriptRoot '../LICENSE')) }
            finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
    }

    It 'tells the gallery what the manifest says: tags and release notes' {
        if ($noPackage) { Set-ItResult -Skipped -Because 'no package: run build.ps1 -Task Test, which makes it first'; return }
        $zip = Open-Package
        try {
            $reader = [IO.StreamReader]::new($zip.GetEntry('SockTools.nuspec').Open())
            try { [xml] $nuspec = $reader.ReadToEnd() }
            finally { $reader.Dispose() }
        }
        finally { $zip.Dispose() }
        $tags = $nuspec.package.metadata.tags -split ' '
        foreach ($tag in $manifest.PrivateData.PSData.Tags) { $tags | Should -Contain $tag }
        $tags | Should -Contain 'PSEdition_Desktop' -Because 'the manifest claims Windows PowerShell 5.1'
        foreach ($cmdlet in $manifest.CmdletsToExport) { $nuspec.package.metadata.releaseNotes | Should -Match "\b$cmdlet\b" }
    }
}
