using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.InteropServices;
using SockTools.Live;
using SockTools.Query;

namespace SockTools.Commands
{
    /// <summary>
    /// <para type="synopsis">A live, full-screen view of the socket table that refreshes in place, as TCPView does: new sockets green, closed ones red, state changes marked.</para>
    /// <para type="description">Takes Get-SockConnection's filters; keys sort, filter, pause, show details and close connections. PowerShell 7.6 or later.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Show, "SockConnection", DefaultParameterSetName = OneNamespaceSet)]
    [OutputType(typeof(SocketEntry))]
    public sealed class ShowSockConnectionCommand : ConnectionCommandBase
    {
        /// <summary>Seconds between refreshes (0.2 to 3600).</summary>
        [Parameter]
        [ValidateRange(0.2, 3600.0)]
        public double IntervalSeconds { get; set; } = 1;

        /// <summary>On quitting, write the rows selected (marked with Space, or the row under the cursor) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected override void Execute(SocketQuery query)
        {
            // Terminal.Gui 2.5 is built for .NET 10: older runtimes (Windows PowerShell's .NET Framework, pwsh 7.5 and
            // before) stop here with words, not with a type-load failure from deep inside the view.
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal) || Environment.Version.Major < 10)
            {
                ThrowTerminatingError(Errors.LiveViewNeedsPowerShell7(RuntimeInformation.FrameworkDescription));
            }

            string? noTerminal = Console.IsInputRedirected ? "its input is redirected"
                : Console.IsOutputRedirected ? "its output is redirected"
                : null;
            if (noTerminal is not null)
            {
                ThrowTerminatingError(Errors.LiveViewNeedsTerminal(noTerminal));
            }

            if (AllNetworkNamespaces.IsPresent)
            {
                // The view is one table without a namespace column: the same 4-tuple in two containers would read as one.
                ThrowTerminatingError(Errors.LiveViewOneNamespace());
            }

            query.IncludeTcpInfo = true; // the details of a row show the TCP internals
            var log = new HeldTableLog();
            IList<SocketEntry> selected;
            using (var table = new LiveTable(query, TimeSpan.FromSeconds(IntervalSeconds), log, Session.Namespaces))
            {
                try
                {
                    selected = LiveViewLoader.Run(table);
                }
                catch (LiveViewLoadException e)
                {
                    ThrowTerminatingError(Errors.LiveViewUnavailable(e, LiveViewLoader.Folder));
                    return;
                }
            }

            // Said now that the terminal is the console again.
            foreach (string message in log.Verbose)
            {
                WriteVerbose(message);
            }

            foreach ((string _, string message) in log.Warnings)
            {
                WriteWarning(message);
            }

            if (PassThru)
            {
                foreach (SocketEntry entry in selected)
                {
                    WriteObject(entry);
                }
            }
        }
    }
}
