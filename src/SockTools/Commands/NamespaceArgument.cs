using System.Management.Automation;

namespace SockTools.Commands
{
    /// <summary>How a -NetworkNamespace value is read: a name or a label (net:[N]) as it is, a path as PowerShell resolves paths.</summary>
    internal static class NamespaceArgument
    {
        /// <summary>
        /// The file system path of a value that is one (it holds a '/': names from ip netns never do), resolved against
        /// PowerShell's current location (./ns, ~/ns); null for a name or a label.
        /// </summary>
        internal static string? PathOf(PSCmdlet cmdlet, string given)
        {
            if (given.IndexOf('/') < 0)
            {
                return null;
            }

            try
            {
                string path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(given, out ProviderInfo provider, out _);
                return provider.Name == "FileSystem" ? path : given;
            }
            catch (System.Exception e) when (e is ItemNotFoundException || e is DriveNotFoundException || e is ProviderNotFoundException || e is System.NotSupportedException || e is PSArgumentException || e is System.InvalidOperationException)
            {
                // Not a file system path PowerShell can resolve: taken as typed, so the error names what the user wrote.
                return given;
            }
        }
    }
}
