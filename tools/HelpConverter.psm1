# Turns the platyPS markdown in docs/<culture>/ into the help PowerShell reads, as platyPS's
# New-ExternalHelp would (platyPS is not available here):
#   <Cmdlet>.md    -> <external help file> (MAML), e.g. SockTools.dll-Help.xml, one per assembly
#   about_<X>.md   -> about_<X>.help.txt
#   <Module>.md    (the module page) is not converted.
# Reading (Read-*) builds a plain object model of a cmdlet page; writing (Write-Maml*) turns each
# section of that model into MAML. Malformed pages stop the build with "<file>:<line>: <problem>".

Set-StrictMode -Version Latest

$script:Ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}
$script:AllSets = '__AllParameterSets'
$script:YamlKeys = 'Type', 'Parameter Sets', 'Aliases', 'Accepted values', 'Required', 'Position',
    'Default value', 'Accept pipeline input', 'Accept wildcard characters'
$script:FenceRegex = '^\s*(```|~~~)'

#region Reading markdown

function Split-MarkdownSection {
    # Cuts lines into sections at headings of exactly $Level '#'s; '#' lines inside code fences are
    # code, not headings. Lines before the first heading form a section whose Title is $null.
    param([string[]] $Lines, [int] $Level, [int] $FirstLine = 1)
    $heading = '^' + ('#' * $Level) + '\s+(.+?)\s*$'
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Title = $null; Line = $FirstLine; Lines = [System.Collections.Generic.List[string]]::new() }
    $inFence = $false
    for ($i = 0; $i -lt $Lines.Count; $i++) {
        $text = $Lines[$i]
        if ($text -match $script:FenceRegex) { $inFence = -not $inFence }
        if (-not $inFence -and $text -match $heading) {
            $sections.Add($current)
            $current = [pscustomobject]@{ Title = $Matches[1]; Line = $FirstLine + $i; Lines = [System.Collections.Generic.List[string]]::new() }
            continue
        }
        $current.Lines.Add($text)
    }
    $sections.Add($current)
    $sections | Where-Object { $null -ne $_.Title -or ($_.Lines -join '').Trim() }
}

function Get-MarkdownParagraph {
    # Paragraphs of a markdown fragment: text lines joined with spaces, one paragraph per list item,
    # tables and fenced code kept line by line.
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    $kind = 'text'
    $flush = {
        if ($current.Count) { $paragraphs.Add($(if ($kind -eq 'text') { $current -join ' ' } else { $current -join "`n" })) }
        $current.Clear()
    }
    foreach ($line in $Lines) {
        if ($line -match $script:FenceRegex) {
            . $flush
            $kind = if ($kind -eq 'code') { 'text' } else { 'code' }
            continue
        }
        if ($kind -eq 'code') { $current.Add($line); continue }
        if (-not $line.Trim()) { . $flush; $kind = 'text'; continue }
        if ($line -match '^\s*\|') {
            if ($kind -ne 'table') { . $flush; $kind = 'table' }
            $current.Add($line.Trim())
            continue
        }
        if ($line -match '^\s*([-*+]|\d+\.)\s+' -or $kind -eq 'table') { . $flush; $kind = 'text' }
        $current.Add($line.Trim())
    }
    . $flush
    $paragraphs
}

function Get-CodeBlock {
    # The fenced blocks of a fragment (only those in $Language when given) with their language tags,
    # and the text lines before the first block and after it; other fenced blocks stay in that text.
    param([string[]] $Lines, [string] $Language)
    $blocks = [System.Collections.Generic.List[object]]::new()
    $before = [System.Collections.Generic.List[string]]::new()
    $after = [System.Collections.Generic.List[string]]::new()
    $block = $null
    $inOther = $false
    foreach ($line in $Lines) {
        if ($line -match $script:FenceRegex -and -not $inOther) {
            if ($null -ne $block) { $blocks.Add($block); $block = $null; continue }
            $tag = $line.Trim().Substring(3).Trim()
            if (-not $Language -or $tag -eq $Language) {
                $block = [pscustomobject]@{ Language = $tag; Lines = [System.Collections.Generic.List[string]]::new() }
                continue
            }
            $inOther = $true
        }
        elseif ($line -match $script:FenceRegex) { $inOther = $false }
        elseif ($null -ne $block) { $block.Lines.Add($line); continue }
        if ($blocks.Count) { $after.Add($line) } else { $before.Add($line) }
    }
    [pscustomobject]@{
        Code      = [string[]] @($blocks | ForEach-Object { $_.Lines -join "`n" })
        Languages = [string[]] @($blocks | ForEach-Object Language)
        Before    = $before.ToArray()
        After     = $after.ToArray()
    }
}

function Read-FrontMatter {
    # The "key: value" lines between the leading '---' fences; returns the map and where the body starts.
    param([string[]] $Lines, [string] $File)
    $map = [ordered]@{}
    if ($Lines.Count -eq 0 -or $Lines[0].Trim() -ne '---') { return [pscustomobject]@{ Map = $map; BodyStart = 0 } }
    for ($i = 1; $i -lt $Lines.Count; $i++) {
        if ($Lines[$i].Trim() -eq '---') { return [pscustomobject]@{ Map = $map; BodyStart = $i + 1 } }
        if ($Lines[$i] -match '^([^:]+):\s*(.*)$') { $map[$Matches[1].Trim()] = $Matches[2].Trim() }
    }
    throw "${File}: the front matter has no closing ---."
}

function Read-ParameterYaml {
    # One ```yaml block of a parameter: where it binds, in which sets, and how.
    param([string] $Yaml, [string] $Where)
    $map = @{}
    foreach ($line in $Yaml -split "`n") {
        if (-not $line.Trim()) { continue }
        if ($line -notmatch '^([A-Za-z ]+):\s*(.*)$' -or $Matches[1] -notin $script:YamlKeys) {
            throw "${Where}: '$line' is not one of the yaml keys: $($script:YamlKeys -join ', ')."
        }
        $map[$Matches[1]] = $Matches[2].Trim()
    }
    foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position', 'Accept pipeline input') {
        if (-not $map[$key]) { throw "${Where}: the yaml block has no '$key'." }
    }
    $pipeline = $map['Accept pipeline input']
    if ($pipeline -notmatch '^(False|True \((ByValue|ByPropertyName)(, (ByValue|ByPropertyName))?\))$') {
        throw "${Where}: 'Accept pipeline input: $pipeline' must be False, True (ByValue), True (ByPropertyName) or True (ByPropertyName, ByValue)."
    }
    $position = $map['Position']
    if ($position -ne 'Named' -and $position -notmatch '^\d+$') { throw "${Where}: 'Position: $position' must be Named or a number." }
    $split = { param($text) @(if ($text) { $text -split ',' | ForEach-Object Trim | Where-Object { $_ } }) }
    $sets = & $split $map['Parameter Sets']
    [pscustomobject]@{
        Type           = $map['Type']
        ParameterSets  = $(if ($sets -contains '(All)') { , @($script:AllSets) } else { , $sets })
        Aliases        = & $split $map['Aliases']
        AcceptedValues = & $split $map['Accepted values']
        Required       = $map['Required'] -eq 'True'
        Position       = $position
        DefaultValue   = $(if ($map['Default value']) { $map['Default value'] } else { 'None' })
        PipelineInput  = $pipeline
        Globbing       = $map['Accept wildcard characters'] -eq 'True'
    }
}

function Read-ParameterSection {
    # '### -Name' sections: the description, then one yaml block per group of parameter sets.
    param($Section, [string] $File)
    foreach ($p in Split-MarkdownSection $Section.Lines -Level 3 -FirstLine ($Section.Line + 1)) {
        if ($p.Title -eq 'CommonParameters' -or $null -eq $p.Title) { continue }
        if ($p.Title -notmatch '^-(\w+)$') { throw "${File}:$($p.Line): parameter heading '### $($p.Title)' must be '### -Name'." }
        $name = $Matches[1]
        $parts = Get-CodeBlock $p.Lines -Language 'yaml'
        if (-not $parts.Code) { throw "${File}:$($p.Line): -$name has no ```yaml block." }
        $bindings = @($parts.Code | ForEach-Object { Read-ParameterYaml $_ "${File}:$($p.Line): -$name" })
        $first = $bindings[0]
        [pscustomobject]@{
            Name           = $name
            Description    = @(Get-MarkdownParagraph $parts.Before)
            Bindings       = $bindings
            Type           = $first.Type
            Aliases        = $first.Aliases
            AcceptedValues = $first.AcceptedValues
            Required       = $first.Required
            Position       = $first.Position
            DefaultValue   = $first.DefaultValue
            PipelineInput  = $first.PipelineInput
            Globbing       = $first.Globbing
            IsSwitch       = $first.Type -in 'SwitchParameter', 'System.Management.Automation.SwitchParameter'
        }
    }
}

function Read-ExampleSection {
    # '### Example N: title' sections: code from the fenced blocks (an ```Output block shows after the
    # commands, as in platyPS), remarks from the text. Get-Help shows remarks after the code, so text
    # written before the code opens the remarks. Script holds only the PowerShell blocks.
    param($Section, [string] $File)
    foreach ($e in Split-MarkdownSection $Section.Lines -Level 3 -FirstLine ($Section.Line + 1)) {
        if ($null -eq $e.Title) { continue }
        $parts = Get-CodeBlock $e.Lines
        if (-not $parts.Code) { throw "${File}:$($e.Line): example '$($e.Title)' has no code block." }
        $script = for ($i = 0; $i -lt $parts.Code.Count; $i++) {
            if ($parts.Languages[$i] -in '', 'powershell', 'pwsh', 'ps1') { $parts.Code[$i] }
        }
        [pscustomobject]@{
            Title   = $e.Title
            Code    = $parts.Code -join "`n`n"
            Script  = @($script) -join "`n`n"
            Remarks = @(Get-MarkdownParagraph $parts.Before) + @(Get-MarkdownParagraph $parts.After)
        }
    }
}

function Read-TypeSection {
    # INPUTS and OUTPUTS: '### Type.Name' sections with a description each.
    param($Section)
    foreach ($t in Split-MarkdownSection $Section.Lines -Level 3 -FirstLine ($Section.Line + 1)) {
        if ($null -eq $t.Title) { continue }
        [pscustomobject]@{ Type = $t.Title; Description = @(Get-MarkdownParagraph $t.Lines) }
    }
}

function Read-LinkSection {
    # RELATED LINKS: one '[text](uri)' or plain text per line.
    param($Section)
    foreach ($line in $Section.Lines) {
        $text = ($line -replace '^\s*[-*]\s+', '').Trim()
        if (-not $text) { continue }
        if ($text -match '^\[([^\]]+)\]\(([^)]*)\)$') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
        else { [pscustomobject]@{ Text = $text; Uri = '' } }
    }
}

function Read-SyntaxSection {
    # SYNTAX: one code block per parameter set, under '### SetName' (or '### SetName (Default)')
    # when there are several; a lone block is the cmdlet's only set.
    param($Section, [string] $File)
    $sets = @(Split-MarkdownSection $Section.Lines -Level 3 -FirstLine ($Section.Line + 1) | Where-Object Title)
    if (-not $sets) {
        $code = (Get-CodeBlock $Section.Lines).Code
        if ($code.Count -ne 1) { throw "${File}:$($Section.Line): SYNTAX needs one code block, or a '### SetName' heading per set." }
        return [pscustomobject]@{ Name = $script:AllSets; IsDefault = $true; Text = $code[0].Trim() }
    }
    foreach ($set in $sets) {
        $code = (Get-CodeBlock $set.Lines).Code
        if ($code.Count -ne 1) { throw "${File}:$($set.Line): syntax '### $($set.Title)' needs exactly one code block." }
        $isDefault = $set.Title -match '\s+\(Default\)$'
        [pscustomobject]@{ Name = $set.Title -replace '\s+\(Default\)$', ''; IsDefault = $isDefault; Text = $code[0].Trim() }
    }
}

function Read-HelpMarkdown {
    <#
    .SYNOPSIS
        Reads one platyPS (schema 2.0.0) cmdlet page into an object: Name, Synopsis, Syntax (sets),
        Description, Examples, Parameters, Inputs, Outputs, Notes, RelatedLinks, Metadata.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $file = Split-Path $Path -Leaf
    $lines = [string[]] @((Get-Content -LiteralPath $Path) -replace '\r$', '')
    $front = Read-FrontMatter $lines $file
    if (-not $front.Map.Contains('external help file')) { throw "${file}: the front matter has no 'external help file', so it is not a cmdlet page." }
    $body = [string[]] @($lines | Select-Object -Skip $front.BodyStart)
    $top = @(Split-MarkdownSection $body -Level 1 -FirstLine ($front.BodyStart + 1) | Where-Object Title)
    if ($top.Count -ne 1) { throw "${file}: a cmdlet page has exactly one '# Name' heading." }
    $sections = @{}
    foreach ($s in Split-MarkdownSection $top[0].Lines -Level 2 -FirstLine ($top[0].Line + 1)) {
        if ($s.Title) { $sections[$s.Title.ToUpperInvariant()] = $s }
    }
    foreach ($required in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections[$required]) { throw "${file}: there is no '## $required' section." }
    }
    $optional = { param($name, $reader) if ($sections[$name]) { @(& $reader $sections[$name]) } else { @() } }

    $help = [pscustomobject]@{
        Name             = $top[0].Title
        Metadata         = $front.Map
        ExternalHelpFile = $front.Map['external help file']
        Synopsis         = (Get-MarkdownParagraph $sections['SYNOPSIS'].Lines) -join ' '
        Syntax           = @(Read-SyntaxSection $sections['SYNTAX'] $file)
        Description      = @(Get-MarkdownParagraph $sections['DESCRIPTION'].Lines)
        Examples         = @(Read-ExampleSection $sections['EXAMPLES'] $file)
        Parameters       = @(Read-ParameterSection $sections['PARAMETERS'] $file)
        Inputs           = & $optional 'INPUTS' { param($s) Read-TypeSection $s }
        Outputs          = & $optional 'OUTPUTS' { param($s) Read-TypeSection $s }
        Notes            = $(if ($sections['NOTES']) { @(Get-MarkdownParagraph $sections['NOTES'].Lines) } else { @() })
        RelatedLinks     = & $optional 'RELATED LINKS' { param($s) Read-LinkSection $s }
    }
    Assert-ParameterSet $help $file
    $help
}

function Assert-ParameterSet {
    # Every set a yaml block names must be one the SYNTAX section declares.
    param($Help, [string] $File)
    $known = @($Help.Syntax.Name)
    foreach ($p in $Help.Parameters) {
        foreach ($set in $p.Bindings.ParameterSets) {
            if ($set -ne $script:AllSets -and $set -notin $known) {
                throw "${File}: -$($p.Name) names parameter set '$set', but SYNTAX declares only: $($known -join ', ')."
            }
        }
    }
}

function Get-SyntaxParameter {
    # The parameters of one set, each with the yaml block that applies there, in the order
    # Get-Help shows them: positional by position, then mandatory, then the rest as documented.
    param($Help, [string] $SetName)
    $index = 0
    $entries = foreach ($p in $Help.Parameters) {
        $index++
        $binding = $p.Bindings | Where-Object { $_.ParameterSets -contains $SetName -or $_.ParameterSets -contains $script:AllSets } | Select-Object -First 1
        if ($binding) {
            $position = if ($binding.Position -eq 'Named') { [int]::MaxValue } else { [int] $binding.Position }
            [pscustomobject]@{ Parameter = $p; Binding = $binding; Position = $position; Optional = -not $binding.Required; Index = $index }
        }
    }
    @($entries | Sort-Object Position, Optional, Index)
}

#endregion

#region Writing MAML

function Write-MamlParagraph {
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs)
    foreach ($text in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $script:Ns.maml, $text) }
}

function Write-MamlDescription {
    # <maml:description> with one <maml:para> per paragraph.
    param([System.Xml.XmlWriter] $Writer, [string[]] $Paragraphs)
    $Writer.WriteStartElement('maml', 'description', $script:Ns.maml)
    Write-MamlParagraph $Writer $Paragraphs
    $Writer.WriteEndElement()
}

function Write-MamlDetails {
    # Name, verb, noun and the synopsis.
    param([System.Xml.XmlWriter] $Writer, $Help)
    $verb, $noun = $Help.Name -split '-', 2
    $Writer.WriteStartElement('command', 'details', $script:Ns.command)
    $Writer.WriteElementString('command', 'name', $script:Ns.command, $Help.Name)
    $Writer.WriteElementString('command', 'verb', $script:Ns.command, $verb)
    $Writer.WriteElementString('command', 'noun', $script:Ns.command, $noun)
    Write-MamlDescription $Writer @($Help.Synopsis)
    $Writer.WriteEndElement()
}

function Write-MamlParameter {
    # One <command:parameter>. In a syntax item a switch has no value element, so Get-Help shows
    # "[-Force]" rather than "[-Force <SwitchParameter>]"; in the parameter list it names its type.
    param([System.Xml.XmlWriter] $Writer, $Parameter, $Binding, [switch] $InSyntax)
    $Writer.WriteStartElement('command', 'parameter', $script:Ns.command)
    $Writer.WriteAttributeString('required', $Binding.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', 'true')
    $Writer.WriteAttributeString('globbing', $Binding.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Binding.PipelineInput)
    $Writer.WriteAttributeString('position', $(if ($Binding.Position -eq 'Named') { 'named' } else { $Binding.Position }))
    $Writer.WriteAttributeString('aliases', $(if ($Binding.Aliases) { $Binding.Aliases -join ', ' } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $Parameter.Name)
    Write-MamlDescription $Writer $Parameter.Description
    if ($Binding.AcceptedValues -and $InSyntax) {
        $Writer.WriteStartElement('command', 'parameterValueGroup', $script:Ns.command)
        foreach ($value in $Binding.AcceptedValues) {
            $Writer.WriteStartElement('command', 'parameterValue', $script:Ns.command)
            $Writer.WriteAttributeString('required', 'false')
            $Writer.WriteAttributeString('command', 'variableLength', $script:Ns.command, 'false')
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }
    elseif (-not ($Parameter.IsSwitch -and $InSyntax)) {
        $Writer.WriteStartElement('command', 'parameterValue', $script:Ns.command)
        $Writer.WriteAttributeString('required', $(if ($Parameter.IsSwitch) { 'false' } else { 'true' }))
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($Binding.Type)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $script:Ns.dev)
    $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $Binding.Type)
    $Writer.WriteElementString('maml', 'uri', $script:Ns.maml, '')
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $script:Ns.dev, $(if ($Parameter.IsSwitch -and $Binding.DefaultValue -eq 'None') { 'False' } else { $Binding.DefaultValue }))
    $Writer.WriteEndElement()
}

function Write-MamlSyntax {
    # One <command:syntaxItem> per documented parameter set, rebuilt from the yaml blocks.
    param([System.Xml.XmlWriter] $Writer, $Help)
    $Writer.WriteStartElement('command', 'syntax', $script:Ns.command)
    foreach ($set in $Help.Syntax) {
        $Writer.WriteStartElement('command', 'syntaxItem', $script:Ns.command)
        $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $Help.Name)
        foreach ($entry in Get-SyntaxParameter $Help $set.Name) {
            Write-MamlParameter $Writer $entry.Parameter $entry.Binding -InSyntax
        }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-MamlParameters {
    # Every parameter once, as its first yaml block describes it.
    param([System.Xml.XmlWriter] $Writer, $Help)
    $Writer.WriteStartElement('command', 'parameters', $script:Ns.command)
    foreach ($p in $Help.Parameters) { Write-MamlParameter $Writer $p $p.Bindings[0] }
    $Writer.WriteEndElement()
}

function Write-MamlTypes {
    # INPUTS -> <command:inputTypes>, OUTPUTS -> <command:returnValues>.
    param([System.Xml.XmlWriter] $Writer, [object[]] $Types, [string] $ListName, [string] $ItemName)
    $Writer.WriteStartElement('command', $ListName, $script:Ns.command)
    foreach ($t in $Types) {
        $Writer.WriteStartElement('command', $ItemName, $script:Ns.command)
        $Writer.WriteStartElement('dev', 'type', $script:Ns.dev)
        $Writer.WriteElementString('maml', 'name', $script:Ns.maml, $t.Type)
        $Writer.WriteEndElement()
        Write-MamlDescription $Writer $t.Description
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-MamlAlertSet {
    # NOTES -> <maml:alertSet>.
    param([System.Xml.XmlWriter] $Writer, $Help)
    $Writer.WriteStartElement('maml', 'alertSet', $script:Ns.maml)
    $Writer.WriteStartElement('maml', 'alert', $script:Ns.maml)
    Write-MamlParagraph $Writer $Help.Notes
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

function Write-MamlExamples {
    # Title, code, then the remarks that follow the code.
    param([System.Xml.XmlWriter] $Writer, $Help)
    $Writer.WriteStartElement('command', 'examples', $script:Ns.command)
    foreach ($e in $Help.Examples) {
        $Writer.WriteStartElement('command', 'example', $script:Ns.command)
        $Writer.WriteElementString('maml', 'title', $script:Ns.maml, "--------- $($e.Title) ---------")
        $Writer.WriteElementString('dev', 'code', $script:Ns.dev, $e.Code)
        $Writer.WriteStartElement('dev', 'remarks', $script:Ns.dev)
        Write-MamlParagraph $Writer $e.Remarks
        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function Write-MamlRelatedLinks {
    # The online version first (Get-Help -Online opens it), then RELATED LINKS.
    param([System.Xml.XmlWriter] $Writer, $Help)
    $links = @()
    if ($Help.Metadata['online version']) { $links += [pscustomobject]@{ Text = 'Online Version:'; Uri = $Help.Metadata['online version'] } }
    $links += $Help.RelatedLinks
    $Writer.WriteStartElement('command', 'relatedLinks', $script:Ns.command)
    foreach ($link in $links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $script:Ns.maml)
        $Writer.WriteElementString('maml', 'linkText', $script:Ns.maml, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $script:Ns.maml, $(if ($link.Uri -match '^https?://') { $link.Uri } else { '' }))
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

function ConvertTo-MamlHelp {
    <#
    .SYNOPSIS
        Writes the MAML help file (helpItems) for cmdlet pages read by Read-HelpMarkdown.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [object[]] $Help, [Parameter(Mandatory)] [string] $Path)
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', $script:Ns.msh)
        $writer.WriteAttributeString('schema', 'maml')
        foreach ($h in $Help) {
            $writer.WriteStartElement('command', 'command', $script:Ns.command)
            foreach ($prefix in 'maml', 'command', 'dev', 'MSHelp') {
                $writer.WriteAttributeString('xmlns', $prefix, $null, $script:Ns[$prefix])
            }
            Write-MamlDetails $writer $h
            Write-MamlDescription $writer $h.Description
            Write-MamlSyntax $writer $h
            Write-MamlParameters $writer $h
            Write-MamlTypes $writer $h.Inputs 'inputTypes' 'inputType'
            Write-MamlTypes $writer $h.Outputs 'returnValues' 'returnValue'
            Write-MamlAlertSet $writer $h
            Write-MamlExamples $writer $h
            Write-MamlRelatedLinks $writer $h
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally { $writer.Dispose() }
}

#endregion

#region about_ topics

function Format-WrappedText {
    # Wraps one paragraph at $Width columns, every line indented by $Indent (the first by $FirstIndent).
    param([string] $Text, [int] $Indent, [int] $FirstIndent = $Indent, [int] $Width = 80)
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ' ' * $FirstIndent
    $empty = $true
    foreach ($word in $Text -split '\s+' | Where-Object { $_ }) {
        if (-not $empty -and $line.Length + 1 + $word.Length -gt $Width) {
            $lines.Add($line)
            $line = ' ' * $Indent
            $empty = $true
        }
        $line += $(if ($empty) { $word } else { " $word" })
        $empty = $false
    }
    if (-not $empty) { $lines.Add($line) }
    $lines
}

function ConvertTo-AboutHelpText {
    <#
    .SYNOPSIS
        Turns an about_ topic in platyPS form into the plain text Get-Help shows: TOPIC, then
        '#' headings in capitals at column 0, '##' at 2, text at 4, code at 8, wrapped at 80.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)
    $lines = [string[]] @((Get-Content -LiteralPath $Path) -replace '\r$', '')
    $body = [string[]] @($lines | Select-Object -Skip (Read-FrontMatter $lines (Split-Path $Path -Leaf)).BodyStart)
    $out = [System.Collections.Generic.List[string]]::new()
    $topic = $null
    $paragraph = [System.Collections.Generic.List[string]]::new()
    $flush = {
        if ($paragraph.Count) {
            if ($paragraph[0] -match '^([-*]|\d+\.)\s+(.*)$') {
                # A list item: the marker at column 4, the text hanging after it.
                $marker = if ($Matches[1] -match '\d') { $Matches[1] } else { '-' }
                $hang = 5 + $marker.Length
                $wrapped = [string[]] @(Format-WrappedText ((@($Matches[2]) + @($paragraph | Select-Object -Skip 1)) -join ' ') -Indent $hang)
                $wrapped[0] = "    $marker " + $wrapped[0].Substring($hang)
                $out.AddRange($wrapped)
            }
            else { $out.AddRange([string[]] @(Format-WrappedText ($paragraph -join ' ') -Indent 4)) }
            $paragraph.Clear()
        }
    }
    $link = {
        # [text](uri): the text, and an absolute uri after it in brackets.
        param($t)
        [regex]::Replace($t, '\[([^\]]+)\]\(([^)]*)\)', { param($m) if ($m.Groups[2].Value -match '^https?://') { "$($m.Groups[1].Value) ($($m.Groups[2].Value))" } else { $m.Groups[1].Value } })
    }
    $inFence = $false
    foreach ($line in $body) {
        if ($line -match $script:FenceRegex) { . $flush; $inFence = -not $inFence; continue }
        if ($inFence) { $out.Add($(if ($line.Trim()) { (' ' * 8) + $line } else { '' })); continue }
        if ($line -match '^(#{1,6})\s+(.+?)\s*$') {
            . $flush
            $level, $title = $Matches[1].Length, $Matches[2]
            if (-not $topic) { $topic = $title; $out.Add('TOPIC'); $out.Add("    $title"); continue }
            if ($title -eq $topic) { continue }
            if ($out.Count -and $out[$out.Count - 1]) { $out.Add('') }
            $out.Add($(switch ($level) { 1 { $title.ToUpperInvariant() } 2 { "  $title" } default { "    $title" } }))
            continue
        }
        if (-not $line.Trim()) { . $flush; if ($out.Count -and $out[$out.Count - 1]) { $out.Add('') }; continue }
        if ($line -match '^\s*\|') { . $flush; $out.Add('    ' + $line.Trim()); continue }
        if ($line -match '^\s*([-*]|\d+\.)\s+') { . $flush }
        $paragraph.Add((& $link $line.Trim()))
    }
    . $flush
    if (-not $topic) { throw "$(Split-Path $Path -Leaf): an about topic starts with '# about_Name'." }
    ($out -join [Environment]::NewLine).TrimEnd() + [Environment]::NewLine
}

#endregion

function Export-ModuleHelp {
    <#
    .SYNOPSIS
        Converts a docs/<culture> folder: cmdlet pages into their MAML help files, about_ topics
        into .help.txt files, all written to $OutputPath. Returns the files written.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $DocsPath, [Parameter(Mandatory)] [string] $OutputPath)
    New-Item -ItemType Directory -Path $OutputPath -Force | Out-Null
    $pages = foreach ($file in Get-ChildItem -LiteralPath $DocsPath -Filter '*.md' | Sort-Object Name) {
        if ($file.BaseName -like 'about_*') {
            $target = Join-Path $OutputPath "$($file.BaseName).help.txt"
            [System.IO.File]::WriteAllText($target, (ConvertTo-AboutHelpText $file.FullName), [System.Text.UTF8Encoding]::new($false))
            Get-Item $target
            continue
        }
        $front = (Read-FrontMatter ([string[]] @(Get-Content -LiteralPath $file.FullName)) $file.Name).Map
        if ($front.Contains('Module Guid')) { continue } # the module page
        Read-HelpMarkdown $file.FullName
    }
    $commands = @($pages | Where-Object { $_ -isnot [System.IO.FileInfo] })
    $pages | Where-Object { $_ -is [System.IO.FileInfo] }
    foreach ($group in $commands | Group-Object ExternalHelpFile) {
        $target = Join-Path $OutputPath $group.Name
        ConvertTo-MamlHelp -Help $group.Group -Path $target
        Get-Item $target
    }
}

Export-ModuleMember -Function Read-HelpMarkdown, ConvertTo-MamlHelp, ConvertTo-AboutHelpText, Export-ModuleHelp
