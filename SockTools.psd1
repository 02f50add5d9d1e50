@{
    RootModule           = 'SockTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '3f0c7b7e-2d0a-4b8e-9a53-6f1f4f0f6a11'
    Author               = 'SockTools contributors'
    CompanyName          = 'SockTools'
    Copyright            = '(c) SockTools contributors. MIT License.'
    Description          = 'Who is listening, who owns this port, which connections are open and in what state: the socket table as PowerShell objects, read natively (netlink sock_diag on Linux) at the speed of ss.'
    # Linux only until another reader exists: the socket table is read with netlink sock_diag and /proc, so no
    # 'Desktop' edition (Windows PowerShell runs on Windows alone, where nothing reads the table yet). 7.0 because
    # the assembly targets netstandard2.0, which .NET Core 3.1 (PowerShell 7.0's runtime) implements, and compiles
    # against PowerShellStandard.Library 5.1, an API every PowerShell 7 has (tests/Module.Tests.ps1 checks both).
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('SockTools.Format.ps1xml')
    TypesToProcess       = @('SockTools.Types.ps1xml')
    CmdletsToExport      = @(
        'Close-SockConnection'
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
            # PSCommand_<cmdlet> and PSIncludes_Cmdlet are what Find-PSResource -CommandName and the gallery search
            # for; tests/Module.Tests.ps1 keeps the PSCommand_ tags equal to CmdletsToExport.
            Tags         = @(
                'network', 'socket', 'netstat', 'ss', 'lsof', 'tcp', 'udp', 'port', 'Linux', 'PSEdition_Core'
                'PSIncludes_Cmdlet'
                'PSCommand_Close-SockConnection'
                'PSCommand_Get-SockConnection'
                'PSCommand_Get-SockListener'
                'PSCommand_Test-SockPort'
                'PSCommand_Watch-SockState'
            )
            LicenseUri   = 'https://github.com/socktools/SockTools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/socktools/SockTools'
            ReleaseNotes = @'
0.1.0, Linux only (netlink sock_diag, /proc/net fallback, owners from /proc/<pid>/fd):
- Get-SockListener: listening TCP and bound UDP sockets, where they can be reached from, and who owns them.
- Get-SockConnection: TCP and UDP sockets in any state, filtered by state, port, address and owner; -TcpInfo for RTT, congestion window and byte counts.
- Test-SockPort: TCP connect tests to many hosts and ports in parallel, with clear statuses; -Wait until a port opens or closes; for a port on this host that is not open, Diagnosis and Explanation say why (nothing listens, another address or IP version, a full accept queue, a firewall).
- Watch-SockState: socket changes as a stream: opened, state changed, closed.
- Close-SockConnection: closes TCP and UDP sockets of any process as ss -K does (netlink SOCK_DESTROY): the owner sees the connection aborted and lives on; -WhatIf, -Confirm, listeners only with -Force.
Tab completion of process names, process ids and listening ports.
'@
        }
    }
}
