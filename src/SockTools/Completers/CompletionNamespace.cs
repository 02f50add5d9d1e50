using System.Collections;
using System.Management.Automation;
using SockTools.Table;

namespace SockTools.Completers
{
    /// <summary>
    /// The network namespaces a completion reads: those the command line already names (-NetworkNamespace,
    /// -AllNetworkNamespaces), so that the ports, processes and paths offered are those the command will look at,
    /// not PowerShell's own namespace's.
    /// </summary>
    internal sealed class CompletionNamespace
    {
        internal static readonly CompletionNamespace Own = new CompletionNamespace(string.Empty, null, every: false);

        private readonly string? _given;
        private readonly bool _every;

        private CompletionNamespace(string key, string? given, bool every)
        {
            Key = key;
            _given = given;
            _every = every;
        }

        /// <summary>Tells the namespaces apart for the snapshot cache: empty for PowerShell's own.</summary>
        internal string Key { get; }

        /// <summary>What the command line names so far; PowerShell's own namespace when it names none.</summary>
        internal static CompletionNamespace From(IDictionary? boundParameters)
        {
            if (boundParameters is null)
            {
                return Own;
            }

            if (boundParameters.Contains("AllNetworkNamespaces") && IsSet(boundParameters["AllNetworkNamespaces"]))
            {
                return new CompletionNamespace("*", null, every: true);
            }

            object? value = boundParameters.Contains("NetworkNamespace") ? boundParameters["NetworkNamespace"] : null;
            string? given = Unwrapped(value) as string;
            return string.IsNullOrEmpty(given) ? Own : new CompletionNamespace("=" + given, given, every: false);
        }

        /// <summary>The scope to read in: null for PowerShell's own namespace.</summary>
        /// <exception cref="SocketTableException">The namespace cannot be opened (completion then offers nothing).</exception>
        internal NamespaceScope? Open()
            => _every ? NamespaceScope.Every()
                : _given is null ? null
                : NamespaceScope.One(_given, PathOf(_given));

        // A switch typed on the command line comes as true or as a SwitchParameter (-AllNetworkNamespaces:$false is neither).
        private static bool IsSet(object? value)
            => Unwrapped(value) switch
            {
                SwitchParameter flag => flag.IsPresent,
                bool flag => flag,
                _ => false,
            };

        /// <summary>
        /// A value with a '/' is a path, as for the cmdlets (Commands/NamespaceArgument.cs); a relative one is taken
        /// from PowerShell's current file system location, which completion runs beside.
        /// </summary>
        private static string? PathOf(string given)
        {
            if (given.IndexOf('/') < 0)
            {
                return null; // a name or a label
            }

            if (System.IO.Path.IsPathRooted(given))
            {
                return given;
            }

            return System.IO.Path.Combine(CurrentFileSystemLocation(), given);
        }

        // Asked of the runspace the completion runs in, through a nested command: its SessionStateProxy refuses while
        // the prompt's pipeline runs, and the process's working directory is not PowerShell's location.
        private static string CurrentFileSystemLocation()
        {
            using PowerShell nested = PowerShell.Create(RunspaceMode.CurrentRunspace);
            nested.AddCommand("Microsoft.PowerShell.Management\\Get-Location").AddParameter("PSProvider", "FileSystem");
            foreach (PSObject result in nested.Invoke())
            {
                if (result.BaseObject is PathInfo location)
                {
                    return location.ProviderPath;
                }
            }

            return System.IO.Directory.GetCurrentDirectory();
        }

        private static object? Unwrapped(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
    }
}
