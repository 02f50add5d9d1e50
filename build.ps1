<#
.SYNOPSIS
    Builds, tests, documents, packages and benchmarks SockTools.

.DESCRIPTION
    One entry point for developers and CI. Run it with the repository's pinned pwsh:
        dotnet tool restore
        dotnet pwsh ./build.ps1 -Task Test

    Build   (default) compiles the module into out/SockTools/<version>/, ready to Import-Module.
    Docs    converts the platyPS markdown in docs/<culture>/ into the module's help: MAML
            (<culture>/SockTools.dll-Help.xml) and about_ topics (about_*.help.txt). Build runs it.
    Test    builds, runs the xunit tests and the Pester tests against the BUILT module, and ends
            with one line: "Tests: N passed, N failed, N skipped". Exit code 1 on any failure.
    Package builds, then makes out/SockTools.<version>.nupkg (the form PowerShell galleries take).
    Bench   builds, then runs the benchmark (bench/README.md) against the BUILT module: SockTools
            against ss, netstat and psutil on a live socket load; the report goes to the console
            and to bench/results/<date>.md. Never part of Test. Best run as root (namespaces).
    Clean   removes out/ and every bin/ and obj/ folder.

.PARAMETER Task
    What to do: Build, Docs, Test, Package, Bench or Clean.

.PARAMETER Configuration
    Release (default) or Debug.

.PARAMETER TestPath
    Pester test files to run (default: every tests/*.Tests.ps1). Useful while working on one cmdlet.

.PARAMETER Sizes
    Bench only: connection counts to measure (default 1000, 10000, 30000, 250000).

.PARAMETER Repeat
    Bench only: timed runs per measurement, reported as medians (default 7).

.PARAMETER Quick
    Bench only: a short smoke run; its report goes to out/bench/, not bench/results/.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Docs', 'Test', 'Package', 'Bench', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    [string[]] $TestPath,

    [string[]] $Sizes, # strings: 'pwsh -File build.ps1 -Sizes 1000,30000' must not bind as one number
    [int] $Repeat,
    [switch] $Quick
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $PSScriptRoot 'tools/BuildTasks.ps1')

$context = New-BuildContext -Root $PSScriptRoot -Configuration $Configuration
switch ($Task) {
    'Build' { Invoke-BuildTask $context; Invoke-DocsTask $context }
    'Docs' { Invoke-DocsTask $context }
    'Package' {
        Invoke-BuildTask $context
        Invoke-DocsTask $context
        Invoke-PackageTask $context
    }
    'Test' {
        Invoke-BuildTask $context
        Invoke-DocsTask $context
        Invoke-PackageTask $context
        $ok = Invoke-TestTask $context -PesterPath $TestPath
        if (-not $ok) { exit 1 }
    }
    'Bench' {
        Invoke-BuildTask $context
        Invoke-DocsTask $context
        # Only what was given, so bench/Invoke-Benchmark.ps1 keeps its own defaults.
        $bench = @{}
        foreach ($name in 'Sizes', 'Repeat', 'Quick') {
            if ($PSBoundParameters.ContainsKey($name)) { $bench[$name] = $PSBoundParameters[$name] }
        }
        Invoke-BenchTask $context -BenchParameters $bench
    }
    'Clean' { Invoke-CleanTask $context }
}
