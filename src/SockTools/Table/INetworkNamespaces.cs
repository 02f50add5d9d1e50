using System.Collections.Generic;

namespace SockTools.Table
{
    /// <summary>
    /// Finds and opens network namespaces (Linux only; <see cref="SocketPlatform.Namespaces"/> is null elsewhere).
    /// Every failure is a <see cref="SocketTableException"/> whose target is what the user typed.
    /// </summary>
    internal interface INetworkNamespaces
    {
        /// <summary>
        /// Opens the namespace <paramref name="given"/> names: a name from ip netns, the label of an unnamed one
        /// ("net:[4026532281]"), or a path (<paramref name="path"/>, already resolved by PowerShell; null for a name).
        /// </summary>
        /// <exception cref="SocketTableException">No such namespace, not a network namespace, not permitted.</exception>
        NetworkNamespace Open(string given, string? path, NamespaceThread thread);

        /// <summary>
        /// Every distinct network namespace there is now, each once: PowerShell's own first, then the named ones, then
        /// those only processes hold (containers). Namespaces that vanish while they are found are left out.
        /// </summary>
        /// <exception cref="SocketTableException">Not permitted to enter them, or /proc cannot be listed.</exception>
        List<NetworkNamespace> OpenAll(NamespaceThread thread, ITableLog log);

        /// <summary>The names ip netns lists, sorted; empty when there are none. Never throws (tab completion).</summary>
        List<string> Names();
    }
}
