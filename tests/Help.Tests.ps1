# Keeps the help honest, for every cmdlet the BUILT module exports (found at run time, so new
# cmdlets are checked as soon as they are exported): its docs/en-US/<Cmdlet>.md matches the code
# (parameters, types, aliases, sets, pipeline input, syntax, output properties), Get-Help shows it,
# and the examples parse; examples of Get- cmdlets (read-only by convention), of Test-SockPort and the
# -WhatIf examples of Close-SockConnection are run against sockets this test opens. Also about_SockTools
# and the module page.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest
    Import-Module (Join-Path $PSScriptRoot '../tools/HelpConverter.psm1') -Force
    $docs = Join-Path $PSScriptRoot '../docs/en-US'
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    $cmdlets = foreach ($name in (Get-Module SockTools).ExportedCmdlets.Keys | Sort-Object) {
        $page = Join-Path $docs "$name.md"
        $examples = if (Test-Path $page) {
            @((Read-HelpMarkdown $page).Examples | ForEach-Object { @{ Title = $_.Title; Code = $_.Script } })
        }
        @{
            Name       = $name
            PagePath   = $page
            Parameters = @((Get-Command $name).Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
            Examples   = @($examples)
            # Get- cmdlets only read; ConvertTo- cmdlets only turn what Get- cmdlets read into text; Test-SockPort only
            # connects to loopback in its examples; Close-SockConnection examples run only with -WhatIf (the others are
            # skipped below). Watch-SockState examples watch for minutes and Show-SockConnection is a full-screen view
            # that waits for keys, so their examples are parsed, not run.
            Runnable   = $name -like 'Get-*' -or $name -like 'ConvertTo-*' -or $name -in 'Test-SockPort', 'Close-SockConnection'
        }
    }
    $aboutTopics = @(Get-ChildItem $docs -Filter 'about_*.md' | ForEach-Object { @{ Topic = $_.BaseName; Path = $_.FullName } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-SockToolsUnderTest
    Import-Module (Join-Path $PSScriptRoot '../tools/HelpConverter.psm1') -Force
    $docs = Join-Path $PSScriptRoot '../docs/en-US'
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    function Get-SyntaxLine {
        # The syntax line of one parameter set as platyPS writes it: positional parameters by
        # position, then mandatory, then the rest in declaration order; types by short name.
        param([System.Management.Automation.CommandParameterSetInfo] $Set, [string] $CommandName)
        $i = 0
        $ordered = $Set.Parameters | Where-Object Name -notin $common | ForEach-Object {
            $i++
            [pscustomobject]@{ P = $_; Position = $(if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue }); Optional = -not $_.IsMandatory; Index = $i }
        } | Sort-Object Position, Optional, Index
        $parts = foreach ($entry in $ordered) {
            $p = $entry.P
            $name = if ($p.Position -ge 0) { "[-$($p.Name)]" } else { "-$($p.Name)" }
            $text = if ($p.ParameterType -eq [switch]) { $name } else { "$name <$($p.ParameterType.Name)>" }
            if ($p.IsMandatory) { $text } else { "[$text]" }
        }
        (@($CommandName) + @($parts) + '[<CommonParameters>]') -join ' '
    }

    function Get-PipelineKind {
        # 'ByValue', 'ByPropertyName', both or none, from metadata or from the markdown's text.
        param($SetMetadata, [string] $Text)
        if ($PSBoundParameters.ContainsKey('Text')) { return @([regex]::Matches($Text, 'ByValue|ByPropertyName').ForEach({ $_.Value }) | Sort-Object) }
        @($(if ($SetMetadata.ValueFromPipeline) { 'ByValue' }), $(if ($SetMetadata.ValueFromPipelineByPropertyName) { 'ByPropertyName' }) | Where-Object { $_ } | Sort-Object)
    }

    function Get-AcceptedValue {
        # The values an enum type or [ValidateSet] allows, in declaration order.
        param([System.Management.Automation.ParameterMetadata] $Parameter)
        $set = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        if ($set) { return @($set.ValidValues) }
        $type = $Parameter.ParameterType
        if ($type.IsArray) { $type = $type.GetElementType() }
        if ($type.IsEnum) { return @([Enum]::GetNames($type)) }
        @()
    }

    function Get-OutputMember {
        # Properties of an output type, the members Types.ps1xml adds to it (Extra: each must be documented),
        # and those it adds under an extra type name such as SockTools.SocketEntry#TcpInfo (Optional: members
        # some outputs carry, which a page may document).
        param([type] $Type)
        $properties = $Type.GetProperties([System.Reflection.BindingFlags] 'Public, Instance')
        $data = Get-TypeData $Type.FullName
        $extra = if ($data) { @($data.Members.Keys) } else { @() }
        $optional = @(Get-TypeData "$($Type.FullName)#*" | ForEach-Object { $_.Members.Keys })
        [pscustomobject]@{ Properties = $properties; Extra = $extra; Optional = $optional }
    }

    function Get-ShortTypeName {
        param([type] $Type)
        $underlying = [Nullable]::GetUnderlyingType($Type)
        if ($underlying) { $underlying.Name } else { $Type.Name }
    }
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command $Name
        $page = if (Test-Path $PagePath) { Read-HelpMarkdown $PagePath }
        $documented = @{}
        if ($page) { foreach ($p in $page.Parameters) { $documented[$p.Name] = $p } }
    }

    It 'has its markdown page docs/en-US/<Name>.md, in platyPS schema 2.0.0' {
        $PagePath | Should -Exist -Because "every exported cmdlet needs docs/en-US/$Name.md (platyPS markdown)"
        $page.Metadata['schema'] | Should -Be '2.0.0'
        $page.Metadata['Module Name'] | Should -Be 'SockTools'
        $page.ExternalHelpFile | Should -Be ([System.IO.Path]::GetFileName($command.DLL) + '-Help.xml')
        $page.Name | Should -Be $Name
    }

    It 'documents every parameter the code has, and none it does not' {
        $inCode = @($command.Parameters.Keys | Where-Object { $_ -notin $common })
        $inDocs = @($documented.Keys)
        @($inCode | Where-Object { $_ -notin $inDocs }) | Should -BeNullOrEmpty -Because 'these parameters have no ### -Name section'
        @($inDocs | Where-Object { $_ -notin $inCode }) | Should -BeNullOrEmpty -Because 'these documented parameters do not exist'
    }

    It 'documents -<_> with its type, aliases, accepted values and wildcard support' -ForEach $Parameters {
        $param = $_
        $meta = $command.Parameters[$param]
        $doc = $documented[$param]
        $doc | Should -Not -BeNullOrEmpty -Because "-$param needs a '### -$param' section"
        $doc.Description -join ' ' | Should -Not -BeNullOrEmpty
        $wildcards = [bool] ($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
        foreach ($binding in $doc.Bindings) {
            $binding.Type | Should -Be $meta.ParameterType.Name
            ($binding.Aliases | Sort-Object) -join ', ' | Should -Be (($meta.Aliases | Sort-Object) -join ', ')
            $binding.AcceptedValues -join ', ' | Should -Be ((Get-AcceptedValue $meta) -join ', ')
            $binding.Globbing | Should -Be $wildcards -Because 'Accept wildcard characters follows [SupportsWildcards]'
        }
    }

    It 'documents -<_> in its real parameter sets, with position, required and pipeline input' -ForEach $Parameters {
        $param = $_
        $meta = $command.Parameters[$param]
        $doc = $documented[$param]
        $doc | Should -Not -BeNullOrEmpty
        ($doc.Bindings.ParameterSets | Sort-Object) -join ', ' | Should -Be (($meta.ParameterSets.Keys | Sort-Object) -join ', ') -Because "'Parameter Sets:' must name the sets of -$param ((All) when it is in every set)"
        foreach ($binding in $doc.Bindings) {
            foreach ($set in $binding.ParameterSets) {
                $inSet = $meta.ParameterSets[$set]
                $position = if ($inSet.Position -ge 0) { "$($inSet.Position)" } else { 'Named' }
                $binding.Position | Should -Be $position -Because "-$param in set $set"
                $binding.Required | Should -Be $inSet.IsMandatory -Because "-$param in set $set"
                (Get-PipelineKind -Text $binding.PipelineInput) -join ', ' | Should -Be ((Get-PipelineKind $inSet) -join ', ') -Because "-$param in set $set is documented as 'Accept pipeline input: $($binding.PipelineInput)'"
            }
        }
    }

    It 'has one SYNTAX block per parameter set, as the code declares it' {
        $sets = @($command.ParameterSets)
        $page.Syntax | Should -HaveCount $sets.Count
        foreach ($set in $sets) {
            $block = if ($sets.Count -eq 1) { $page.Syntax[0] } else { $page.Syntax | Where-Object Name -eq $set.Name }
            $block | Should -Not -BeNullOrEmpty -Because "SYNTAX needs '### $($set.Name)'"
            $block.Text -replace '\s+', ' ' | Should -Be (Get-SyntaxLine $set $Name)
            if ($sets.Count -gt 1) { $block.IsDefault | Should -Be ($set.Name -eq $command.DefaultParameterSet) }
        }
    }

    It 'lists the types it takes from the pipeline under INPUTS' {
        # Types by element (System.String stands for String[]). Every type a parameter takes by value
        # is listed; a type taken only by property name is listed when nothing is taken by value.
        $element = { param($type) if ($type.IsArray) { $type.GetElementType().FullName } else { $type.FullName } }
        $takes = { param($p, $kind) [bool] ($p.ParameterSets.Values | Where-Object $kind) }
        $parameters = @($command.Parameters.Values)
        $byValue = @($parameters | Where-Object { & $takes $_ 'ValueFromPipeline' } | ForEach-Object { & $element $_.ParameterType })
        $any = @($parameters | Where-Object { (& $takes $_ 'ValueFromPipeline') -or (& $takes $_ 'ValueFromPipelineByPropertyName') } | ForEach-Object { & $element $_.ParameterType })
        $listed = @($page.Inputs.Type | ForEach-Object { $_ -replace '\[\]$', '' })
        if (-not $any) { $listed | Should -Be 'None'; return }
        $required = if ($byValue) { $byValue } else { $any }
        foreach ($type in $required | Sort-Object -Unique) { $listed | Should -Contain $type -Because 'INPUTS lists what the pipeline can bind' }
        foreach ($type in $listed) { $type | Should -BeIn $any -Because "INPUTS lists $type, which no parameter takes from the pipeline" }
        foreach ($in in $page.Inputs) { $in.Description -join ' ' | Should -Not -BeNullOrEmpty -Because "INPUTS $($in.Type) needs a description" }
    }

    It 'lists its output types under OUTPUTS and documents every property with its type' {
        $types = @($command.OutputType)
        $types | Should -Not -BeNullOrEmpty -Because 'the cmdlet class should declare [OutputType]'
        $page.Outputs.Type -join ', ' | Should -Be ($types.Name -join ', ')
        # The properties of the module's own types are documented; a plain System.String needs only its description.
        foreach ($type in $types.Type | Where-Object Namespace -Like 'SockTools*') {
            $section = @($page.Outputs | Where-Object Type -eq $type.FullName)[0].Description -join "`n"
            $text = $section + "`n" + ($page.Notes -join "`n")
            $members = Get-OutputMember $type
            foreach ($property in $members.Properties) {
                $text | Should -Match ('`' + $property.Name + '`') -Because "$($type.Name).$($property.Name) must be described"
                if ($text -match ('`' + $property.Name + '` \((\w+)')) {
                    $Matches[1] | Should -Be (Get-ShortTypeName $property.PropertyType) -Because "the documented type of $($property.Name)"
                }
            }
            foreach ($extra in $members.Extra) { $text | Should -Match ('`' + $extra + '`') -Because "the alias $extra must be described" }
            $known = @($members.Properties | ForEach-Object Name) + $members.Extra + $members.Optional
            foreach ($listed in [regex]::Matches($section, '(?m)^- `(\w+)`').ForEach({ $_.Groups[1].Value })) {
                $listed | Should -BeIn $known -Because "OUTPUTS documents $listed, which $($type.Name) does not have"
            }
        }
    }

    It 'shows synopsis, description, parameters, inputs, outputs and four or more examples in Get-Help -Full' {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ([regex]::Escape("$Name [")) -Because 'a synopsis that is the syntax means no help was found'
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 4
        foreach ($example in $help.examples.example) {
            $example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs remarks"
        }
        $full = $help | Out-String -Width 200
        foreach ($type in @($page.Inputs.Type) + @($page.Outputs.Type)) { $full | Should -Match ([regex]::Escape($type)) }
    }

    It 'describes -<_> in Get-Help -Parameter' -ForEach $Parameters {
        $param = $_
        $help = Get-Help $Name -Parameter $param
        $help.name | Should -Be $param
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
        $help.type.name | Should -Be $command.Parameters[$param].ParameterType.Name
    }

    It 'links only to pages that exist' {
        foreach ($link in $page.RelatedLinks | Where-Object { $_.Uri -and $_.Uri -notmatch '^https?://' }) {
            Join-Path $docs $link.Uri | Should -Exist -Because "RELATED LINKS points to $($link.Uri)"
        }
    }

    It 'shows the examples in Get-Help -Examples' {
        $text = Get-Help $Name -Examples | Out-String -Width 200
        foreach ($example in $page.Examples) { $text | Should -Match ([regex]::Escape($example.Title)) }
    }

    Context 'examples' {
        BeforeAll {
            # Sockets for the examples to find: a listener on 5432 when the port is free, an
            # established connection, one in CLOSE_WAIT, and a TIME_WAIT.
            $peer = $client = $null
            if (-not $Runnable) { return }
            $peer = Start-SockPeer
            try { $listenerId, $serverPort = $peer.Send('listen 127.0.0.1 5432') }
            catch { $listenerId, $serverPort = $peer.Send('listen 127.0.0.1 0') }
            $client = Start-SockPeer
            $open = $client.Send("connect 127.0.0.1 $serverPort")[0]
            $null = $peer.Send("accept $listenerId")
            $closing = $client.Send("connect 127.0.0.1 $serverPort")[0]
            $null = $peer.Send("accept $listenerId")
            $client.Send("close $closing") | Out-Null   # server side: CLOSE_WAIT
            $timeWait = $client.Send("connect 127.0.0.1 $serverPort")[0]
            $accepted = $peer.Send("accept $listenerId")[0]
            $client.Send("close $timeWait") | Out-Null
            $peer.Send("close $accepted") | Out-Null    # client side: TIME_WAIT
            $null = $open
        }

        AfterAll {
            if ($client) { $client.Kill() }
            if ($peer) { $peer.Kill() }
        }

        It 'parses example "<Title>"' -ForEach $Examples {
            $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $null, [ref] $errors)
            $errors | Should -BeNullOrEmpty
        }

        It 'runs example "<Title>" without errors' -ForEach $(if ($Runnable) { $Examples } else { @() }) {
            # Examples that wait for a port, stop processes, close sockets (Close-SockConnection without -WhatIf on its
            # line) or start another shell would change or stall the run.
            if ($Code -match '-Wait\b|-Until\b|Stop-Process|Close-SockConnection(?![^\n]*-WhatIf\b)|^\s*pwsh\b') { Set-ItResult -Skipped -Because 'it waits, stops a process, closes sockets or starts a shell'; return }
            # Examples that read or connect from other network namespaces need root and namespaces that exist (a
            # container's, 'blue'); tests/NetworkNamespace.Tests.ps1 runs the same commands against namespaces it makes.
            if ($Code -match '-NetworkNamespace\b|-AllNetworkNamespaces\b') { Set-ItResult -Skipped -Because 'it reads other network namespaces, which needs root and namespaces of its own'; return }
            Push-Location $TestDrive
            try {
                $records = @(& ([scriptblock]::Create($Code)) *>&1)
                $errors = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
                $errors | ForEach-Object ToString | Should -BeNullOrEmpty
                $null = $records | Where-Object { $_ -isnot [System.Management.Automation.InformationalRecord] } | Out-String
            }
            finally { Pop-Location }
        }
    }
}

Describe 'about topic <Topic>' -ForEach $aboutTopics {
    It 'is built into the module and resolves with Get-Help' {
        $text = Get-Help $Topic | Out-String
        $text | Should -Match "TOPIC\s+$Topic"
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'LONG DESCRIPTION'
    }

    It 'has code blocks that parse' {
        $lines = Get-Content $Path
        $code = [System.Collections.Generic.List[string]]::new()
        $inFence = $false
        foreach ($line in $lines) {
            if ($line -match '^\s*```') { $inFence = -not $inFence; continue }
            if ($inFence) { $code.Add($line) }
        }
        $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseInput(($code -join "`n"), [ref] $null, [ref] $errors)
        $errors | Should -BeNullOrEmpty
    }
}

Describe 'about_SockTools' {
    It 'explains <_>' -ForEach @('4-tuple', 'ephemeral', 'TIME_WAIT', 'CLOSE_WAIT', 'Exposure', 'root', 'sock_diag', '/proc/net', 'SOCKTOOLS_READER', 'netlink', 'proc', 'auto', 'Very large tables') {
        Get-Help about_SockTools | Out-String | Should -Match ([regex]::Escape($_))
    }
}

Describe 'Module help' {
    It 'is generated into the built module, not committed' {
        $base = (Get-Module SockTools).ModuleBase
        Join-Path $base 'en-US/SockTools.dll-Help.xml' | Should -Exist
        if (Get-Command git -ErrorAction Ignore) {
            $root = Join-Path $PSScriptRoot '..'
            $tracked = @(& git -C $root ls-files -- '*-Help.xml' '*.help.txt' 2>$null)
            $tracked | Should -BeNullOrEmpty -Because 'help is generated at build from docs/'
        }
    }

    It 'has a module page listing exactly the exported cmdlets' {
        $pagePath = Join-Path $docs 'SockTools.md'
        $pagePath | Should -Exist
        $text = Get-Content $pagePath -Raw
        $manifest = Import-PowerShellDataFile (Join-Path (Get-Module SockTools).ModuleBase 'SockTools.psd1')
        $text | Should -Match "Module Guid: $($manifest.GUID)"
        $listed = @([regex]::Matches($text, '(?m)^### \[([\w-]+)\]\(([\w-]+)\.md\)').ForEach({ $_.Groups[1].Value }) | Sort-Object)
        $listed | Should -Be @((Get-Module SockTools).ExportedCmdlets.Keys | Sort-Object)
    }
}
