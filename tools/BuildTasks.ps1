# The tasks behind build.ps1, as plain functions so each stays short and readable.

function New-BuildContext {
    param([string] $Root, [string] $Configuration)
    $manifest = Import-PowerShellDataFile (Join-Path $Root 'SockTools.psd1')
    $version = $manifest.ModuleVersion
    [pscustomobject]@{
        Root          = $Root
        Configuration = $Configuration
        Version       = $version
        Project       = Join-Path $Root 'src/SockTools/SockTools.csproj'
        ViewProject   = Join-Path $Root 'src/SockTools.LiveView/SockTools.LiveView.csproj'
        TestProject   = Join-Path $Root 'tests/SockTools.Tests/SockTools.Tests.csproj'
        OutModule     = Join-Path $Root "out/SockTools/$version"
        Docs          = Join-Path $Root 'docs'
        TestResults   = Join-Path $Root 'out/TestResults'
    }
}

function Invoke-Native {
    # Runs a program and stops the build when it fails, naming the command.
    param([string] $FilePath, [string[]] $ArgumentList)
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Invoke-BuildTask {
    param($Context)
    Write-Host "Building SockTools $($Context.Version) ($($Context.Configuration))"
    Invoke-Native dotnet @('build', $Context.Project, '-c', $Context.Configuration, '-nologo', '-v', 'quiet', "-p:Version=$($Context.Version)")

    $bin = Join-Path $Context.Root "src/SockTools/bin/$($Context.Configuration)/netstandard2.0"
    if (Test-Path $Context.OutModule) { Remove-Item $Context.OutModule -Recurse -Force }
    New-Item -ItemType Directory -Path $Context.OutModule -Force | Out-Null
    Copy-Item (Join-Path $bin 'SockTools.dll') $Context.OutModule
    Copy-Item (Join-Path $Context.Root 'SockTools.psd1') $Context.OutModule
    Copy-Item (Join-Path $Context.Root 'src/SockTools/SockTools.Format.ps1xml') $Context.OutModule
    Copy-Item (Join-Path $Context.Root 'src/SockTools/SockTools.Types.ps1xml') $Context.OutModule
    # The license travels with the module, so the package (made from this folder) and every install carry it.
    Copy-Item (Join-Path $Context.Root 'LICENSE') $Context.OutModule
    Copy-LiveView $Context
    Write-Host "Module: $($Context.OutModule)"
}

function Copy-LiveView {
    # Show-SockConnection's view and Terminal.Gui with its dependencies, into LiveView/ of the module: a folder of
    # their own, loaded by SockTools.dll into an isolated AssemblyLoadContext only when the cmdlet runs. Assemblies
    # only: Terminal.Gui's translations and TextMateSharp's native regex library serve views SockTools does not use.
    param($Context)
    Invoke-Native dotnet @('build', $Context.ViewProject, '-c', $Context.Configuration, '-nologo', '-v', 'quiet', "-p:Version=$($Context.Version)")
    $viewBin = Join-Path $Context.Root "src/SockTools.LiveView/bin/$($Context.Configuration)/net10.0"
    $viewOut = Join-Path $Context.OutModule 'LiveView'
    New-Item -ItemType Directory -Path $viewOut -Force | Out-Null
    # SockTools.dll is the module's own (one SocketEntry type for cmdlet and view); the host brings its PowerShell.
    Get-ChildItem $viewBin -Filter '*.dll' | Where-Object Name -NotIn 'SockTools.dll', 'System.Management.Automation.dll' |
        Copy-Item -Destination $viewOut
}

function Invoke-DocsTask {
    # Help from the platyPS markdown in docs/<culture>/: MAML and about_ topics into the built
    # module's <culture>/ folder (generated at every build, never committed).
    param($Context)
    Import-Module (Join-Path $Context.Root 'tools/HelpConverter.psm1') -Force
    foreach ($culture in Get-ChildItem -Path $Context.Docs -Directory) {
        $written = Export-ModuleHelp -DocsPath $culture.FullName -OutputPath (Join-Path $Context.OutModule $culture.Name)
        Write-Host "Help ($($culture.Name)): $(@($written).Name -join ', ')"
    }
}

function Invoke-PackageTask {
    # The gallery form: PSResourceGet's own Publish-PSResource into a throwaway local repository makes
    # out/SockTools.<version>.nupkg from the built module, exactly as a gallery would receive it.
    param($Context)
    $feed = Join-Path ([IO.Path]::GetTempPath()) "socktools-feed-$PID"
    $name = "SockToolsBuild$PID"
    New-Item -ItemType Directory -Path $feed -Force | Out-Null
    try {
        Register-PSResourceRepository -Name $name -Uri $feed -Trusted -Force
        Publish-PSResource -Path $Context.OutModule -Repository $name
        $package = Join-Path $Context.Root "out/SockTools.$($Context.Version).nupkg"
        Copy-Item (Join-Path $feed "SockTools.$($Context.Version).nupkg") $package -Force
        Write-Host "Package: $package"
    }
    finally {
        Unregister-PSResourceRepository -Name $name -ErrorAction SilentlyContinue
        Remove-Item $feed -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-BenchTask {
    # The benchmark (bench/README.md), against the module just built in out/SockTools/<version>/.
    # SockLoad, its load generator, is built here and only here: it is never part of the module.
    param($Context, [hashtable] $BenchParameters = @{})
    $loadProject = Join-Path $Context.Root 'bench/SockLoad/SockLoad.csproj'
    Invoke-Native dotnet @('build', $loadProject, '-c', 'Release', '-nologo', '-v', 'quiet')
    $sockLoad = Join-Path $Context.Root 'bench/SockLoad/bin/Release/net10.0/SockLoad'
    & (Join-Path $Context.Root 'bench/Invoke-Benchmark.ps1') -ModulePath $Context.OutModule -SockLoadPath $sockLoad @BenchParameters
}

function Invoke-CleanTask {
    param($Context)
    $targets = @(Join-Path $Context.Root 'out') + @(Get-ChildItem $Context.Root -Recurse -Directory -Include bin, obj -ErrorAction SilentlyContinue | ForEach-Object FullName)
    foreach ($target in $targets) {
        if (Test-Path $target) { Remove-Item $target -Recurse -Force; Write-Host "Removed $target" }
    }
}

function Get-XunitCounts {
    # Reads the counters of a .trx file (the VSTest results format).
    param([string] $TrxPath)
    [xml] $trx = Get-Content -Raw $TrxPath
    $c = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int] $c.passed
        Failed  = [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        Skipped = [int] $c.notExecuted
    }
}

function Import-Pester {
    # Pester comes from NuGet through tools/Tools.csproj (a PackageDownload), never from the Gallery.
    param($Context)
    Invoke-Native dotnet @('restore', (Join-Path $Context.Root 'tools/Tools.csproj'), '-v', 'quiet') | Out-Host
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $pester = Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
    Import-Module $pester -Force
}

function Invoke-TestTask {
    param($Context, [string[]] $PesterPath)
    New-Item -ItemType Directory -Path $Context.TestResults -Force | Out-Null

    Write-Host 'Running xunit tests'
    $trx = Join-Path $Context.TestResults 'xunit.trx'
    if (Test-Path $trx) { Remove-Item $trx }
    # Output goes to the host: anything left in the pipeline becomes part of this function's result,
    # and build.ps1 would read that array as "true" and exit 0 even when tests failed.
    & dotnet test $Context.TestProject -c $Context.Configuration -nologo -v quiet --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' | Out-Host
    $xunit = if (Test-Path $trx) { Get-XunitCounts $trx } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }

    Write-Host 'Running Pester tests against the built module'
    Import-Pester $Context
    # SockPeer: the scriptable socket process the Pester tests open their sockets in.
    $peerProject = Join-Path $Context.Root 'tests/SockPeer/SockPeer.csproj'
    Invoke-Native dotnet @('build', $peerProject, '-c', 'Release', '-nologo', '-v', 'quiet') | Out-Host
    $env:SOCKTOOLS_TEST_PEER = Join-Path $Context.Root 'tests/SockPeer/bin/Release/net10.0/SockPeer'
    $env:SOCKTOOLS_TEST_MODULE = Join-Path $Context.OutModule 'SockTools.psd1'
    $env:SOCKTOOLS_TEST_PACKAGE = Join-Path $Context.Root "out/SockTools.$($Context.Version).nupkg"
    $config = New-PesterConfiguration
    $config.Run.Path = if ($PesterPath) { $PesterPath } else { Join-Path $Context.Root 'tests' }
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    if ([Console]::IsOutputRedirected) { $config.Output.RenderMode = 'Plaintext' } # CI logs: no ANSI colour codes
    # No NUnit XML: error text with terminal colour codes is not valid XML and would crash the export.
    $pester = Invoke-Pester -Configuration $config
    if (-not $pester) {
        # Pester itself failed: still end with the summary line, counting one failure.
        $pester = [pscustomobject]@{ PassedCount = 0; FailedCount = 1; SkippedCount = 0; FailedBlocksCount = 0; FailedContainersCount = 0 }
    }

    $passed = $xunit.Passed + $pester.PassedCount
    $failed = $xunit.Failed + $pester.FailedCount + $pester.FailedBlocksCount + $pester.FailedContainersCount
    $skipped = $xunit.Skipped + $pester.SkippedCount
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pester.PassedCount) passed, $($pester.FailedCount) failed, $($pester.SkippedCount) skipped"
    Write-Host "Tests: $passed passed, $failed failed, $skipped skipped"
    return ($failed -eq 0)
}
