using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;

namespace SockTools
{
    /// <summary>
    /// Every process holding one socket, lowest process id first: a pre-fork server (nginx, gunicorn) shares its
    /// listening socket with every worker, systemd shares the sockets it activates with the service.
    /// </summary>
    /// <remarks>
    /// Each owner is its ss text, nginx(pid=704,fd=6), carrying the properties ProcessId, ProcessName and
    /// FileDescriptor (type name SockTools.SocketOwner). Text, because exports must stay flat: ConvertTo-Json
    /// writes a list of objects two levels down as truncated text with a warning at its default depth, but a
    /// list of strings whole; Export-Csv writes the list as one line. In PowerShell the properties work as on
    /// any object: $entry.Owners.ProcessId, $entry.Owners | Format-Table.
    /// </remarks>
    public sealed class SocketOwnerList : ReadOnlyCollection<PSObject>
    {
        /// <summary>The type name every owner carries, for its table view.</summary>
        internal const string OwnerTypeName = "SockTools.SocketOwner";

        internal SocketOwnerList(IList<PSObject> owners)
            : base(owners)
        {
        }

        /// <summary>The owners as ss lists them, separated by ", ".</summary>
        public override string ToString() => string.Join(", ", this);

        /// <summary>
        /// One owner: the process, its name (null when it ended before the name was read) and the fd number
        /// (null where the OS's table names the process only, as Windows' does: then the text has no fd).
        /// </summary>
        internal static PSObject Owner(int processId, string? processName, int? fileDescriptor)
        {
            string fd = fileDescriptor is int number ? ",fd=" + number.ToString(CultureInfo.InvariantCulture) : string.Empty;
            string text = $"{processName ?? "?"}(pid={processId.ToString(CultureInfo.InvariantCulture)}{fd})";
            var owner = new PSObject(text);
            owner.TypeNames.Insert(0, OwnerTypeName);
            owner.Properties.Add(new PSNoteProperty("ProcessId", processId));
            owner.Properties.Add(new PSNoteProperty("ProcessName", processName));
            owner.Properties.Add(new PSNoteProperty("FileDescriptor", fileDescriptor));
            return owner;
        }

        /// <summary>The process id an owner carries.</summary>
        internal static int ProcessIdOf(PSObject owner) => (int)owner.Properties["ProcessId"].Value;

        /// <summary>The process name an owner carries.</summary>
        internal static string? ProcessNameOf(PSObject owner) => (string?)owner.Properties["ProcessName"].Value;
    }
}
