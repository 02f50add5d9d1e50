namespace SockTools
{
    /// <summary>
    /// What many entries of one read have in common: the owning process (lowest pid) and its name, the socket's
    /// user, and the namespace it was read in. A server's thousands of sockets share one card, so each entry keeps
    /// one reference where these values took 28 bytes: half a million entries are 12 MB smaller, and every
    /// megabyte a read keeps costs page faults and GC marking.
    /// </summary>
    internal sealed class OwnerCard
    {
        internal OwnerCard(int processId, string? processName, uint userId, string? userName, int namespaceNumber)
        {
            ProcessId = processId;
            ProcessName = processName;
            UserId = userId;
            UserName = userName;
            NamespaceNumber = namespaceNumber;
        }

        /// <summary>The lowest pid among the owners; 0 for none.</summary>
        internal int ProcessId { get; }

        internal string? ProcessName { get; }

        /// <summary>The uid the row gave (whether it counts as seen is the entry's to say).</summary>
        internal uint UserId { get; }

        internal string? UserName { get; }

        /// <summary>NamespaceTag.Number, 0 for the namespace PowerShell runs in.</summary>
        internal int NamespaceNumber { get; }

        internal bool Is(int processId, string? processName, uint userId, string? userName, int namespaceNumber)
            => ProcessId == processId && UserId == userId && NamespaceNumber == namespaceNumber
               && ReferenceEquals(ProcessName, processName) && ReferenceEquals(UserName, userName);
    }
}
