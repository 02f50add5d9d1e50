@{
    RootModule           = 'SockTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '3f0c7b7e-2d0a-4b8e-9a53-6f1f4f0f6a11'
    Author               = 'SockTools contributors'
    CompanyName          = 'SockTools'
    Copyright            = '(c) SockTools contributors. MIT License.'
    Description          = 'Who is listening, who owns this port, which connections are open and in what state: the socket table as PowerShell objects, read natively (netlink sock_diag on Linux, the IP Helper API on Windows, sysctl and libproc on macOS).'
    # Linux, Windows and macOS, each with its own reader (64-bit processes), in Windows PowerShell 5.1 ('Desktop')
    # and PowerShell 7 ('Core'). One assembly serves both: it targets netstandard2.0 and compiles against
    # PowerShellStandard.Library 5.1, whose System.Management.Automation 3.0.0.0 is the API of Windows PowerShell
    # 5.1 and a subset of every PowerShell 7's. .NET Framework carries netstandard2.0 from 4.7.1 on; 4.7.2 is the
    # version Microsoft names for netstandard2.0 libraries, so Windows PowerShell is asked for that. What each
    # system has, and how each was verified (Linux on a real system; Windows and macOS on byte fixtures built from
    # their documented layouts, not yet on a real machine), is in the README's platform table.
    # tests/Module.Tests.ps1 ties these claims to the code: each OS tag to a reader in the assembly, Desktop and
    # 5.1 to the netstandard2.0 target and the 3.0.0.0 API.
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('SockTools.Format.ps1xml')
    TypesToProcess       = @('SockTools.Types.ps1xml')
    CmdletsToExport      = @(
        'Close-SockConnection'
        'ConvertTo-SockGraph'
        'Get-SockConnection'
        'Get-SockListener'
        'Get-SockPortUsage'
        'Get-SockSummary'
        'Show-SockConnection'
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
                'network', 'socket', 'netstat', 'ss', 'lsof', 'tcp', 'udp', 'port', 'Linux', 'Windows', 'MacOS', 'PSEdition_Core', 'PSEdition_Desktop'
                'PSIncludes_Cmdlet'
                'PSCommand_Close-SockConnection'
                'PSCommand_ConvertTo-SockGraph'
                'PSCommand_Get-SockConnection'
                'PSCommand_Get-SockListener'
                'PSCommand_Get-SockPortUsage'
                'PSCommand_Get-SockSummary'
                'PSCommand_Show-SockConnection'
                'PSCommand_Test-SockPort'
                'PSCommand_Watch-SockState'
            )
            LicenseUri   = 'https://github.com/socktools/SockTools/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/socktools/SockTools'
            ReleaseNotes = @'
0.1.0, on Linux (netlink sock_diag, /proc/net fallback, owners from /proc/<pid>/fd), Windows (IP Helper GetExtendedTcpTable and GetExtendedUdpTable, owners named by the table) and macOS (sysctl pcblist_n, owners through libproc); Windows and macOS are tested on fixtures of their documented layouts, not yet on real machines:
- Get-SockListener: listening TCP and bound UDP sockets, where they can be reached from (IPv6Only tells a dual-stack [::] listener, shown as *:port like ss, from an IPv6-only one), and who owns them.
- Get-SockConnection: TCP and UDP sockets in any state, filtered by state, port, address and owner; -TcpInfo for RTT, congestion window and byte counts; -MemoryInfo for buffer use and drops (ss -m).
- UNIX domain sockets on Linux (-Protocol Unix or All, -Path with wildcards), each with the process at the other end; every owner's command line, systemd service and container id.
- Network namespaces on Linux: -NetworkNamespace (an ip netns name, /proc/<pid>/ns/net, net:[inode]) and -AllNetworkNamespaces list and watch sockets (UNIX ones too), count, close and test ports inside containers' and other namespaces; every socket carries its NetworkNamespace.
- Get-SockSummary: sockets counted per protocol and state (ss -s) without an owner scan, cheap enough for a loop; -Kernel for the kernel's own figures (orphans, TIME_WAIT, socket memory and their limits) and -Counters for the counters that explain trouble (listen overflows, SYN cookies, resets, retransmissions, UDP buffer errors; netstat -s, nstat), each with what to do (Linux).
- Get-SockPortUsage: per destination, the local ports of the ephemeral range its connections hold (TIME_WAIT included) and how many are left, fullest first, with a warning above -WarningPercent: the "64k connections per destination" question (Linux).
- Test-SockPort: TCP connect tests to many hosts and ports in parallel, with clear statuses (NoFreeLocalPort when the ephemeral ports towards a destination are used up); -Wait until a port opens or closes; for a port on this host that is not open, Diagnosis and Explanation say why (nothing listens, another address or IP version, a full accept queue, a firewall).
- Watch-SockState: socket changes as a stream: opened, state changed, closed.
- Close-SockConnection: closes TCP and UDP sockets of any process as ss -K does (netlink SOCK_DESTROY; on Windows IPv4 TCP connections through SetTcpEntry DELETE_TCB): the owner sees the connection aborted and lives on; -WhatIf, -Confirm, listeners only with -Force.
- Show-SockConnection: a live full-screen view of the socket table (TCPView in the terminal): refreshes in place, new sockets green, closed ones red, state changes marked; sort, filter, details, close; PowerShell 7.6 or later (Terminal.Gui, loaded in an isolated AssemblyLoadContext only when it runs).
- ConvertTo-SockGraph: who talks to whom, as a Mermaid or Graphviz graph of processes, remote hosts and connections.
Tab completion of process names, process ids and listening ports.
'@
        }
    }
}
