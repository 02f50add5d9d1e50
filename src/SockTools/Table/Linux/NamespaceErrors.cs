using System.Management.Automation;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// The errors of opening and entering a network namespace, each with its own id, category and advice, the value
    /// the user typed as target, and the errno that says what the kernel answered.
    /// </summary>
    internal static class NamespaceErrors
    {
        internal const string NotFoundId = "NetworkNamespaceNotFound";
        internal const string NotANamespaceId = "NotANetworkNamespace";
        internal const string AccessDeniedId = "NetworkNamespaceAccessDenied";

        private const string FindAdvice = "See the names with 'ip netns list' (or press Tab after -NetworkNamespace); a container's namespace is /proc/<pid>/ns/net of one of its processes; -AllNetworkNamespaces reads every namespace there is.";

        internal static SocketTableException NotFound(string given, string why) => new SocketTableException(
            NotFoundId, ErrorCategory.ObjectNotFound, $"Network namespace '{given}' was not found: {why}.", FindAdvice, null, given);

        internal static SocketTableException NotANamespace(string given, string why) => new SocketTableException(
            NotANamespaceId, ErrorCategory.InvalidArgument, $"'{given}' is not a network namespace: {why}.",
            "Give a name from 'ip netns list', a path such as /proc/<pid>/ns/net or /run/netns/<name>, or a label such as net:[4026532281].", null, given);

        internal static SocketTableException AccessDenied(string given, NativeCallException e) => new SocketTableException(
            AccessDeniedId, ErrorCategory.PermissionDenied,
            $"Network namespace '{given}' cannot be read without privileges ({e.Message}): entering another network namespace needs CAP_SYS_ADMIN, and opening a process's namespace needs the right to trace it.",
            "Run PowerShell as root (sudo).", e, given);

        /// <summary>What open() of a namespace file said, as the error a user reads.</summary>
        internal static SocketTableException FromOpen(string given, string path, Errno errno)
        {
            var e = new NativeCallException("open", errno, path);
            return errno switch
            {
                Errno.ENOENT or Errno.ENOTDIR => NotFound(given, $"{path} does not exist"),
                Errno.EACCES or Errno.EPERM => AccessDenied(given, e),
                _ => Unavailable(given, e),
            };
        }

        /// <summary>What setns() said when a thread tried to enter the namespace.</summary>
        internal static SocketTableException FromEnter(string given, NativeCallException e) => e.Errno switch
        {
            Errno.EINVAL => NotANamespace(given, "the kernel refuses to enter it as one (setns: EINVAL); it is another kind of file, or another kind of namespace"),
            Errno.EPERM or Errno.EACCES => AccessDenied(given, e),
            _ => Unavailable(given, e),
        };

        private static SocketTableException Unavailable(string given, NativeCallException e) => new SocketTableException(
            "NetworkNamespaceUnavailable", ErrorCategory.OpenError, $"Network namespace '{given}' could not be used: {e.Message}.",
            "Check that the namespace still exists ('ip netns list', or the process behind /proc/<pid>/ns/net), then try again.", e, given);
    }
}
