namespace SockTools.Table
{
    /// <summary>
    /// Who an owner process really is, beyond its short name: its command line, the service and the container it
    /// runs in. One per read, shared by its entries; each process is read the first time one of its entries is
    /// asked, and once only, so a read whose output nobody looks at this closely costs nothing more.
    /// </summary>
    internal abstract class OwnerIdentity
    {
        /// <summary>The process's arguments joined by spaces; null when it has none (a kernel thread) or cannot be read.</summary>
        internal abstract string? CommandLineOf(int pid);

        /// <summary>The service (systemd unit) the process runs in, such as nginx.service; null when none.</summary>
        internal abstract string? ServiceNameOf(int pid);

        /// <summary>The short (12 hex digit) id of the container the process runs in; null when none.</summary>
        internal abstract string? ContainerIdOf(int pid);
    }
}
