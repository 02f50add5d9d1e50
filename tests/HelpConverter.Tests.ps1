# tools/HelpConverter.psm1 on a small fixture (tests/Fixtures/Help): the markdown it reads, the MAML
# it writes (checked as XML and through Get-Help), the about_ text, and the errors it raises.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../tools/HelpConverter.psm1') -Force
    $fixtures = Join-Path $PSScriptRoot 'Fixtures/Help'
    $fixturePage = Join-Path $fixtures 'Set-Fixture.md'

    function Read-BrokenPage {
        # The fixture page with one text replaced, read from a temporary copy.
        param([string] $Old, [string] $New)
        $path = Join-Path $TestDrive 'Set-Fixture.md'
        (Get-Content $fixturePage -Raw).Replace($Old, $New) | Set-Content $path
        Read-HelpMarkdown $path
    }
}

Describe 'Read-HelpMarkdown' {
    BeforeAll { $help = Read-HelpMarkdown $fixturePage }

    It 'reads the name, front matter and synopsis' {
        $help.Name | Should -Be 'Set-Fixture'
        $help.ExternalHelpFile | Should -Be 'Fixture.dll-Help.xml'
        $help.Metadata['schema'] | Should -Be '2.0.0'
        $help.Synopsis | Should -Be "Sets a fixture, for the converter's tests."
    }

    It 'reads one parameter set per SYNTAX heading, marking the default' {
        $help.Syntax.Name | Should -Be 'ByName', 'ById'
        $help.Syntax.IsDefault | Should -Be $true, $false
        $help.Syntax[1].Text | Should -BeLike 'Set-Fixture -Id <Int32`[`]> *'
    }

    It 'joins the lines of a paragraph and keeps paragraphs apart' {
        $help.Description | Should -Be 'First paragraph, joined over two lines.', 'Second paragraph with `code` & <angle> characters.'
    }

    It 'reads every yaml block of a parameter: -Path binds differently per set' {
        $path = $help.Parameters | Where-Object Name -eq 'Path'
        $path.Bindings | Should -HaveCount 2
        $path.Bindings[0].ParameterSets | Should -Be 'ByName'
        $path.Bindings[0].Position | Should -Be '1'
        $path.Bindings[1].Required | Should -BeTrue
        ($help.Parameters | Where-Object Name -eq 'Force').Bindings[0].ParameterSets | Should -Be '__AllParameterSets'
    }

    It 'reads aliases, accepted values, pipeline input and wildcards' {
        $id = $help.Parameters | Where-Object Name -eq 'Id'
        $id.Aliases | Should -Be 'ProcessId', 'OwningProcess'
        $id.PipelineInput | Should -Be 'True (ByPropertyName)'
        ($help.Parameters | Where-Object Name -eq 'Mode').AcceptedValues | Should -Be 'Fast', 'Slow'
        ($help.Parameters | Where-Object Name -eq 'Name').Globbing | Should -BeTrue
        ($help.Parameters | Where-Object Name -eq 'Force').IsSwitch | Should -BeTrue
        $help.Parameters.Name | Should -Not -Contain 'CommonParameters'
    }

    It 'keeps # lines inside code blocks as code, not headings' {
        $help.Examples | Should -HaveCount 2
        $help.Examples[0].Code | Should -Be "# A comment line inside code is not a heading.`nSet-Fixture -Name one -Force"
        $help.Examples[0].Remarks | Should -Be 'The remarks of example 1.', 'A second remark.'
    }

    It 'joins several code blocks of one example, and moves text before the code into the remarks' {
        $help.Examples[1].Code | Should -Be "Get-Process -Id `$PID | Set-Fixture -Path ./x`n`nSet-Fixture -Id 1, 2 -Path ./y`n`nResult"
        $help.Examples[1].Remarks | Should -Be 'Introduction text before the code.', 'Remarks after both blocks.'
    }

    It 'keeps only the PowerShell blocks of an example as its script, not sample output' {
        $help.Examples[1].Script | Should -Be "Get-Process -Id `$PID | Set-Fixture -Path ./x`n`nSet-Fixture -Id 1, 2 -Path ./y"
        $help.Examples[0].Script | Should -Be $help.Examples[0].Code
    }

    It 'reads inputs, outputs, notes and related links' {
        $help.Inputs.Type | Should -Be 'System.String', 'System.Int32[]'
        $help.Outputs.Type | Should -Be 'Fixture.Result'
        $help.Outputs[0].Description | Should -Be '- `Value` (String): the value.', '- `Count` (Int32): how many.'
        $help.Notes | Should -Be 'A note.'
        $help.RelatedLinks.Text | Should -Be 'Get-Fixture', 'Fixture site'
        $help.RelatedLinks.Uri | Should -Be 'Get-Fixture.md', 'https://example.org/fixture'
    }

    It 'stops on <Problem>' -ForEach @(
        @{ Problem = 'a missing PARAMETERS section'; Old = '## PARAMETERS'; New = '## PARAMS'; Message = "*no '## PARAMETERS' section*" }
        @{ Problem = 'an unknown yaml key'; Old = 'Accept wildcard characters: True'; New = 'Wildcards: True'; Message = "*-Name*'Wildcards: True' is not one of the yaml keys*" }
        @{ Problem = 'pipeline input text Get-Help cannot show'; Old = 'True (ByPropertyName)'; New = 'Yes'; Message = "*-Id*'Accept pipeline input: Yes' must be*" }
        @{ Problem = 'a parameter set SYNTAX does not declare'; Old = 'Parameter Sets: ById'; New = 'Parameter Sets: ByPath'; Message = "*-Id names parameter set 'ByPath'*" }
        @{ Problem = 'a parameter without a yaml block'; Old = "How.`n`n``````yaml"; New = "How.`n`n``````text"; Message = '*-Mode has no ```yaml block*' }
        @{ Problem = 'an example without code'; Old = "``````powershell`n# A comment line inside code is not a heading.`nSet-Fixture -Name one -Force`n``````"; New = ''; Message = "*example 'Example 1: Set one by name' has no code block*" }
    ) {
        { Read-BrokenPage $Old $New } | Should -Throw -ExpectedMessage $Message
    }
}

Describe 'ConvertTo-MamlHelp' {
    BeforeAll {
        $mamlPath = Join-Path $TestDrive 'Fixture.dll-Help.xml'
        ConvertTo-MamlHelp -Help (Read-HelpMarkdown $fixturePage) -Path $mamlPath
        [xml] $maml = Get-Content $mamlPath -Raw
        $ns = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
        $ns.AddNamespace('msh', 'http://msh')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $command = $maml.SelectSingleNode('/msh:helpItems/command:command', $ns)
        function Select-Maml([string] $XPath, $Node = $command) { @($Node.SelectNodes($XPath, $ns)) }
        function Get-SyntaxParameter([int] $Item, [string] $Name) {
            Select-Maml "command:syntax/command:syntaxItem[$Item]/command:parameter[maml:name='$Name']" | Select-Object -First 1
        }
    }

    It 'writes a helpItems document with one command, its details and synopsis' {
        $maml.helpItems.schema | Should -Be 'maml'
        $command | Should -Not -BeNullOrEmpty
        (Select-Maml 'command:details/command:name').InnerText | Should -Be 'Set-Fixture'
        (Select-Maml 'command:details/command:verb').InnerText | Should -Be 'Set'
        (Select-Maml 'command:details/command:noun').InnerText | Should -Be 'Fixture'
        (Select-Maml 'command:details/maml:description/maml:para').InnerText | Should -Be "Sets a fixture, for the converter's tests."
        (Select-Maml 'maml:description/maml:para').InnerText | Should -Contain 'Second paragraph with `code` & <angle> characters.'
    }

    It 'writes one syntax item per parameter set, rebuilt from the yaml blocks' {
        Select-Maml 'command:syntax/command:syntaxItem' | Should -HaveCount 2
        (Select-Maml 'command:syntax/command:syntaxItem[1]/command:parameter/maml:name').InnerText | Should -Be 'Name', 'Path', 'Force', 'Mode'
        (Select-Maml 'command:syntax/command:syntaxItem[2]/command:parameter/maml:name').InnerText | Should -Be 'Id', 'Path', 'Force', 'Mode'
    }

    It 'takes required and position from the yaml block of each set' {
        $byName = Get-SyntaxParameter 1 'Path'
        $byName.required | Should -Be 'false'
        $byName.position | Should -Be '1'
        $byId = Get-SyntaxParameter 2 'Path'
        $byId.required | Should -Be 'true'
        $byId.position | Should -Be 'named'
    }

    It 'writes a switch in a syntax item without a value element' {
        $force = Get-SyntaxParameter 1 'Force'
        $force.SelectNodes('command:parameterValue', $ns).Count | Should -Be 0
        $force.SelectSingleNode('dev:type/maml:name', $ns).InnerText | Should -Be 'SwitchParameter'
        (Get-SyntaxParameter 1 'Name').SelectSingleNode('command:parameterValue', $ns).InnerText | Should -Be 'String'
    }

    It 'writes the attributes: required, position, pipelineInput, globbing, aliases' {
        $name = Get-SyntaxParameter 1 'Name'
        $name.required | Should -Be 'true'
        $name.position | Should -Be '0'
        $name.pipelineInput | Should -Be 'True (ByValue)'
        $name.globbing | Should -Be 'true'
        $name.aliases | Should -Be 'none'
        $id = Get-SyntaxParameter 2 'Id'
        $id.pipelineInput | Should -Be 'True (ByPropertyName)'
        $id.aliases | Should -Be 'ProcessId, OwningProcess'
        (Get-SyntaxParameter 1 'Force').pipelineInput | Should -Be 'False'
    }

    It 'writes accepted values as a value group, and the default value' {
        $mode = Get-SyntaxParameter 1 'Mode'
        $mode.SelectNodes('command:parameterValueGroup/command:parameterValue', $ns).InnerText | Should -Be 'Fast', 'Slow'
        $mode.SelectSingleNode('dev:defaultValue', $ns).InnerText | Should -Be 'Fast'
    }

    It 'lists every parameter once under parameters' {
        (Select-Maml 'command:parameters/command:parameter/maml:name').InnerText | Should -Be 'Force', 'Id', 'Mode', 'Name', 'Path'
        $force = Select-Maml "command:parameters/command:parameter[maml:name='Force']"
        $force.SelectSingleNode('dev:defaultValue', $ns).InnerText | Should -Be 'False'
    }

    It 'writes examples as title, code, then remarks' {
        $examples = Select-Maml 'command:examples/command:example'
        $examples | Should -HaveCount 2
        @($examples[0].ChildNodes.LocalName) | Should -Be 'title', 'code', 'remarks'
        $examples[0].SelectSingleNode('maml:title', $ns).InnerText | Should -Match 'Example 1: Set one by name'
        $examples[0].SelectSingleNode('dev:code', $ns).InnerText | Should -BeLike '# A comment line*'
        $examples[0].SelectNodes('dev:remarks/maml:para', $ns).InnerText | Should -Be 'The remarks of example 1.', 'A second remark.'
    }

    It 'writes input types, return values and notes' {
        (Select-Maml 'command:inputTypes/command:inputType/dev:type/maml:name').InnerText | Should -Be 'System.String', 'System.Int32[]'
        (Select-Maml 'command:inputTypes/command:inputType[2]/maml:description/maml:para').InnerText | Should -Be 'Ids by property name.'
        (Select-Maml 'command:returnValues/command:returnValue/dev:type/maml:name').InnerText | Should -Be 'Fixture.Result'
        (Select-Maml 'maml:alertSet/maml:alert/maml:para').InnerText | Should -Be 'A note.'
    }

    It 'writes the online version first, then the related links' {
        (Select-Maml 'command:relatedLinks/maml:navigationLink/maml:linkText').InnerText | Should -Be 'Online Version:', 'Get-Fixture', 'Fixture site'
        @((Select-Maml 'command:relatedLinks/maml:navigationLink/maml:uri') | ForEach-Object InnerText) | Should -Be 'https://example.org/Set-Fixture', '', 'https://example.org/fixture'
    }

    Context 'read back by Get-Help' {
        BeforeAll {
            # A function whose help is the fixture's MAML, so Get-Help renders what we wrote.
            $definition = "<#`n.EXTERNALHELP $mamlPath`n#>`n[CmdletBinding()] param([string] `$Name, [switch] `$Force)"
            New-Item -Path function:global:Set-Fixture -Value ([scriptblock]::Create($definition)) -Force | Out-Null
        }

        AfterAll { Remove-Item function:global:Set-Fixture -ErrorAction Ignore }

        It 'shows both syntaxes, switches without a value and accepted values in braces' {
            $syntax = (Get-Help Set-Fixture).syntax | Out-String -Width 300
            $syntax | Should -Match ([regex]::Escape('Set-Fixture [-Name] <String> [[-Path] <String>] [-Force] [-Mode {Fast | Slow}]'))
            $syntax | Should -Match ([regex]::Escape('Set-Fixture -Id <Int32[]> -Path <String> [-Force] [-Mode {Fast | Slow}]'))
            $syntax | Should -Not -Match 'Force <SwitchParameter>'
        }

        It 'shows a parameter with its pipeline input and aliases' {
            $id = Get-Help Set-Fixture -Parameter Id
            $id.pipelineInput | Should -Be 'True (ByPropertyName)'
            $id.aliases | Should -Be 'ProcessId, OwningProcess'
            $id.required | Should -Be 'true'
        }

        It 'shows remarks after the code in -Examples' {
            $text = Get-Help Set-Fixture -Examples | Out-String -Width 200
            $text.IndexOf('Set-Fixture -Name one -Force') | Should -BeLessThan $text.IndexOf('The remarks of example 1.')
            $text.IndexOf('Set-Fixture -Id 1, 2 -Path ./y') | Should -BeLessThan $text.IndexOf('Remarks after both blocks.')
        }
    }
}

Describe 'ConvertTo-AboutHelpText' {
    BeforeAll {
        $text = ConvertTo-AboutHelpText (Join-Path $fixtures 'about_Fixture.md')
        $lines = $text -split '\r?\n'
    }

    It 'starts with the topic name, once' {
        $lines[0] | Should -Be 'TOPIC'
        $lines[1] | Should -Be '    about_Fixture'
        @($lines | Where-Object { $_ -match 'about_Fixture' }) | Should -HaveCount 1
    }

    It "puts '#' headings in capitals at column 0 and '##' headings at column 2" {
        $lines | Should -Contain 'SHORT DESCRIPTION'
        $lines | Should -Contain 'LONG DESCRIPTION'
        $lines | Should -Contain 'SEE ALSO'
        $lines | Should -Contain '  A subtopic'
    }

    It 'wraps text at 80 columns, indented by 4' {
        $prose = $lines | Where-Object { $_ -and $_ -notmatch '^(TOPIC|[A-Z ]+|  \S.*|        .*|    \|.*)$' }
        $prose | Should -Not -BeNullOrEmpty
        foreach ($line in $prose) { $line.Length | Should -BeLessOrEqual 80; $line | Should -Match '^    \S' -Because $line }
        $lines[4] | Should -Match '^    A short description that is long enough'
    }

    It 'hangs list items after their marker' {
        $item = [array]::IndexOf($lines, ($lines | Where-Object { $_ -like '    - a list item*' }))
        $item | Should -BeGreaterThan 0
        $lines[$item + 1] | Should -Match '^      \S'
        $lines | Should -Contain '    - a second item'
    }

    It 'keeps code lines as they are, indented by 8, and tables line by line' {
        $lines | Should -Contain '        # code keeps its lines'
        $lines | Should -Contain '        Set-Fixture -Name one'
        $lines | Should -Contain '    | a | b |'
    }

    It 'turns links into their text, with absolute addresses kept' {
        $lines | Should -Contain '    Text with a link and an absolute link (https://example.org/x).'
    }
}

Describe 'Export-ModuleHelp' {
    It 'writes the MAML file each page names and the about_ topics, and skips the module page' {
        $out = Join-Path $TestDrive 'en-US'
        $written = Export-ModuleHelp -DocsPath $fixtures -OutputPath $out
        @($written.Name | Sort-Object) | Should -Be 'about_Fixture.help.txt', 'Fixture.dll-Help.xml'
        @(Get-ChildItem $out).Name | Sort-Object | Should -Be 'about_Fixture.help.txt', 'Fixture.dll-Help.xml'
    }
}
