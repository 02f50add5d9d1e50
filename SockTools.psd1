@{
    RootModule           = 'SockTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '3f0c7b7e-2d0a-4b8e-9a53-6f1f4f0f6a11'
    Author               = 'SockTools contributors'
    CompanyName          = 'SockTools'
    Copyright            = '(c) SockTools contributors. MIT License.'
    Description          = 'Who is listening, who owns this port, which connections are open and in what state: the socket table as PowerShell objects, read natively (netlink sock_diag on Linux) at the speed of ss.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    FormatsToProcess     = @('SockTools.Format.ps1xml')
    TypesToProcess       = @('SockTools.Types.ps1xml')
    CmdletsToExport      = @(
        'Get-SockConnection'
        'Get-SockListener'
        'Test-SockPort'
        'Watch-SockState'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('network', 'socket', 'netstat', 'ss', 'lsof', 'tcp', 'udp', 'port', 'Linux', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri   = 'https://github.com/socktools/SockTools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/socktools/SockTools'
            ReleaseNotes = 'Get-SockListener and Get-SockConnection on Linux (netlink sock_diag with /proc/net fallback).'
        }
    }
}
