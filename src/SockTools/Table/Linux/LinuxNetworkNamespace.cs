using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// A Linux network namespace held open by a file descriptor (of /run/netns/&lt;name&gt; or /proc/&lt;pid&gt;/ns/net),
    /// so it cannot go away while SockTools uses it, and entered with setns(CLONE_NEWNET) by threads SockTools owns.
    /// The namespace PowerShell runs in needs no descriptor: it is never entered.
    /// </summary>
    internal sealed class LinuxNetworkNamespace : NetworkNamespace
    {
        /// <summary>
        /// Set on a thread once it entered another namespace: /proc/net then still shows the namespace of the
        /// process's main thread, and only /proc/thread-self/net shows the thread's own.
        /// </summary>
        [ThreadStatic]
        private static bool _threadMoved;

        private readonly SafeFd? _fd;
        private readonly string? _name;
        private readonly int _processId;

        private LinuxNetworkNamespace(NamespaceTag tag, bool isOwn, SafeFd? fd, string? name, int processId)
            : base(tag, isOwn)
        {
            _fd = fd;
            _name = name;
            _processId = processId;
        }

        /// <summary>True on a thread SockTools moved into another network namespace.</summary>
        internal static bool IsThisThreadMoved => _threadMoved;

        /// <summary>What to call it in messages before its inode is known: the name or path the user gave.</summary>
        private string Given => Tag.Label;

        /// <inheritdoc />
        internal override string? OwnResolverFiles
        {
            get
            {
                var files = new List<string>();
                if (_name is not null)
                {
                    // ip netns exec mounts these over /etc/resolv.conf and /etc/hosts for what it runs; this process sees neither.
                    foreach (string file in new[] { "resolv.conf", "hosts" })
                    {
                        string path = $"/etc/netns/{_name}/{file}";
                        if (File.Exists(path))
                        {
                            files.Add(path);
                        }
                    }
                }
                else if (_processId > 0)
                {
                    // A container reads its own /etc; it differs from ours when its files do.
                    foreach (string file in new[] { "/etc/resolv.conf", "/etc/hosts" })
                    {
                        string theirs = $"/proc/{_processId.ToString(CultureInfo.InvariantCulture)}/root{file}";
                        if (Differs(theirs, file))
                        {
                            files.Add(theirs);
                        }
                    }
                }

                return files.Count > 0 ? string.Join(", ", files) : null;
            }
        }

        /// <summary>The namespace PowerShell runs in.</summary>
        internal static LinuxNetworkNamespace Own(NamespaceTag tag, string? name = null) => new LinuxNetworkNamespace(tag, true, null, name, 0);

        /// <summary>
        /// A namespace file opened but not yet entered: its label is what the user gave until <see cref="Identify"/>
        /// learns its inode. <paramref name="processId"/> is a process in it (0 when none is known).
        /// </summary>
        internal static LinuxNetworkNamespace Opened(SafeFd fd, NamespaceTag tag, string? name, int processId)
            => new LinuxNetworkNamespace(tag, false, fd, name, processId);

        /// <summary>
        /// Enters the namespace on <paramref name="thread"/> and reads its inode there, which is also the check that
        /// the file is a network namespace and that this process may enter it.
        /// </summary>
        /// <param name="thread">The thread that enters it, and stays inside for the work that follows.</param>
        /// <param name="label">Its label from now on; null for "net:[inode]".</param>
        /// <param name="ownInode">The inode of PowerShell's own namespace: that one needs no entering after this.</param>
        /// <exception cref="SocketTableException">Not a network namespace, not permitted, or unusable.</exception>
        internal void Identify(NamespaceThread thread, string? label, ulong ownInode)
        {
            ulong inode = thread.Run(this, ThisThreadInode);
            Tag = new NamespaceTag(label ?? NamespaceTag.Unnamed(inode), inode);
            IsOwn = inode == ownInode;
        }

        /// <inheritdoc />
        internal override void EnterThisThread()
        {
            if (_fd is null)
            {
                // Only the namespace PowerShell runs in has no descriptor, and work for it never leaves the caller's thread.
                throw new InvalidOperationException("PowerShell's own network namespace is never entered.");
            }

            try
            {
                NamespaceFile.EnterNetwork(_fd, Given);
            }
            catch (NativeCallException e)
            {
                throw NamespaceErrors.FromEnter(Given, e);
            }

            _threadMoved = true;
        }

        public override void Dispose() => _fd?.Dispose();

        /// <summary>The inode of the calling thread's network namespace.</summary>
        /// <exception cref="NativeCallException">/proc does not tell.</exception>
        internal static ulong ThisThreadInode()
        {
            // thread-self: a thread's namespace can differ from its process's. Kernels before 3.17 lack it; there,
            // only threads that were never moved ask, and /proc/self tells theirs.
            if (!NamespaceFile.TryReadLink("/proc/thread-self/ns/net", out string? link, out Errno errno)
                && !(errno == Errno.ENOENT && !_threadMoved && NamespaceFile.TryReadLink("/proc/self/ns/net", out link, out errno)))
            {
                throw new NativeCallException("readlink", errno, "/proc/thread-self/ns/net");
            }

            return NamespaceLink.TryParseNetwork(link, out ulong inode)
                ? inode
                : throw new SocketTableFormatException($"/proc/thread-self/ns/net names '{link}', not a network namespace.");
        }

        private static bool Differs(string theirs, string ours)
        {
            try
            {
                return File.Exists(theirs) && File.ReadAllText(theirs) != (File.Exists(ours) ? File.ReadAllText(ours) : string.Empty);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false; // unreadable: nothing to say about it
            }
        }
    }
}
