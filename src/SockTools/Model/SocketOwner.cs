using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using SockTools.Table;

namespace SockTools
{
    /// <summary>One process holding a socket through one of its file descriptors, as a reader found it.</summary>
    internal readonly struct SocketHolder
    {
        internal SocketHolder(int processId, string? processName, int? fileDescriptor)
        {
            ProcessId = processId;
            ProcessName = processName;
            FileDescriptor = fileDescriptor;
        }

        internal int ProcessId { get; }

        internal string? ProcessName { get; }

        /// <summary>Null where the OS's table names the process only (Windows): then the text has no fd.</summary>
        internal int? FileDescriptor { get; }

        /// <summary>As ss -p prints an owner: nginx(pid=704,fd=6); svchost(pid=1040) where the fd is not known.</summary>
        public override string ToString()
        {
            string fd = FileDescriptor is int number ? ",fd=" + number.ToString(CultureInfo.InvariantCulture) : string.Empty;
            return $"{ProcessName ?? "?"}(pid={ProcessId.ToString(CultureInfo.InvariantCulture)}{fd})";
        }
    }

    /// <summary>
    /// Every process holding one socket, lowest process id first: a pre-fork server (nginx, gunicorn) shares its
    /// listening socket with every worker, systemd shares the sockets it activates with the service.
    /// </summary>
    /// <remarks>
    /// Each owner is its ss text, nginx(pid=704,fd=6), carrying the properties ProcessId, ProcessName,
    /// FileDescriptor, CommandLine, ServiceName and ContainerId (type name SockTools.SocketOwner). Text, because exports must stay flat: ConvertTo-Json
    /// writes a list of objects two levels down as truncated text with a warning at its default depth, but a
    /// list of strings whole; Export-Csv writes the list as one line (its ToString). In PowerShell the
    /// properties work as on any object: $entry.Owners.ProcessId, $entry.Owners | Format-Table. The objects are
    /// made only when the list is enumerated (and each owner's command line and cgroup read then, once per process
    /// per read): an export that needs only the line builds none.
    /// </remarks>
    public sealed class SocketOwnerList : IReadOnlyList<PSObject>
    {
        /// <summary>The type name every owner carries, for its table view.</summary>
        internal const string OwnerTypeName = "SockTools.SocketOwner";

        private readonly SocketHolder[] _holders;
        private readonly OwnerIdentity? _identity;
        private PSObject[]? _objects;

        /// <param name="holders">The owners, lowest pid first.</param>
        /// <param name="identity">Where each owner's command line, service and container are read; null where the OS tells none.</param>
        internal SocketOwnerList(SocketHolder[] holders, OwnerIdentity? identity = null)
        {
            _holders = holders;
            _identity = identity;
        }

        /// <summary>How many owners.</summary>
        public int Count => _holders.Length;

        /// <summary>One owner, as text with the properties ProcessId, ProcessName and FileDescriptor.</summary>
        public PSObject this[int index] => Objects()[index];

        /// <summary>The process holding it at <paramref name="index"/>, without making the PowerShell object.</summary>
        internal SocketHolder Holder(int index) => _holders[index];

        /// <summary>The owners as ss lists them, separated by ", ".</summary>
        public override string ToString() => string.Join(", ", _holders);

        /// <summary>Enumerates the owners.</summary>
        public IEnumerator<PSObject> GetEnumerator() => ((IEnumerable<PSObject>)Objects()).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private PSObject[] Objects()
        {
            if (_objects is null)
            {
                var objects = new PSObject[_holders.Length];
                for (int i = 0; i < objects.Length; i++)
                {
                    SocketHolder holder = _holders[i];
                    var owner = new PSObject(holder.ToString());
                    owner.TypeNames.Insert(0, OwnerTypeName);
                    owner.Properties.Add(new PSNoteProperty("ProcessId", holder.ProcessId));
                    owner.Properties.Add(new PSNoteProperty("ProcessName", holder.ProcessName));
                    owner.Properties.Add(new PSNoteProperty("FileDescriptor", holder.FileDescriptor));

                    // Each owner's own: with socket activation the lowest owner is systemd, the service a later one.
                    owner.Properties.Add(new PSNoteProperty("CommandLine", _identity?.CommandLineOf(holder.ProcessId)));
                    owner.Properties.Add(new PSNoteProperty("ServiceName", _identity?.ServiceNameOf(holder.ProcessId)));
                    owner.Properties.Add(new PSNoteProperty("ContainerId", _identity?.ContainerIdOf(holder.ProcessId)));
                    objects[i] = owner;
                }

                _objects = objects;
            }

            return _objects;
        }
    }
}
