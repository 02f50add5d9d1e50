using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Linux's network namespaces: those ip netns names (files in /run/netns, each a mount of the namespace), and those
    /// only processes hold (containers), found through /proc/&lt;pid&gt;/ns/net, whose link text names the namespace by
    /// inode ("net:[4026532281]"). Reading the links needs no entering; a namespace found by name is entered once to
    /// learn its inode, on the session's <see cref="NamespaceThread"/>, which reads it next anyway.
    /// </summary>
    internal sealed class LinuxNetworkNamespaces : INetworkNamespaces
    {
        /// <summary>Where ip netns keeps its names (iproute2's NETNS_RUN_DIR).</summary>
        internal const string NamedDirectory = "/run/netns";

        private static readonly Regex NamedPath = new Regex(@"^(?:/var)?/run/netns/([^/]+)$", RegexOptions.CultureInvariant);
        private static readonly Regex ProcessPath = new Regex(@"^/proc/(\d+)/(?:task/\d+/)?ns/net$", RegexOptions.CultureInvariant);

        /// <inheritdoc />
        public NetworkNamespace Open(string given, string? path, NamespaceThread thread)
        {
            ulong own = OwnInode();
            if (path is null && NamespaceLink.TryParseNetwork(given, out ulong inode))
            {
                return inode == own ? LinuxNetworkNamespace.Own(new NamespaceTag(NamespaceTag.Unnamed(own), own)) : FindByInode(given, inode, own, thread);
            }

            if (path is null)
            {
                if (!IsName(given))
                {
                    throw NamespaceErrors.NotFound(given, "ip netns names are never empty, '.' or '..', and hold no '/' (give a path for a file elsewhere)");
                }

                return OpenFile(given, NamedDirectory + "/" + given, given, given, 0, own, thread);
            }

            Match named = NamedPath.Match(path);
            string? name = named.Success ? named.Groups[1].Value : null;
            Match process = ProcessPath.Match(path);
            int pid = process.Success && int.TryParse(process.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int p) ? p : 0;

            // A /proc/<pid>/ns/* link says what it is without being opened: no entering (nor root) for PowerShell's own.
            if (NamespaceFile.TryReadLink(path, out string? link, out _) && NamespaceLink.TryParse(link, out string kind, out ulong linked))
            {
                if (kind != "net")
                {
                    throw NamespaceErrors.NotANamespace(given, $"it is a {kind} namespace ({link})");
                }

                if (linked == own)
                {
                    return LinuxNetworkNamespace.Own(new NamespaceTag(name ?? link!, own), name);
                }
            }

            return OpenFile(given, path, name, name, pid, own, thread);
        }

        /// <inheritdoc />
        public List<NetworkNamespace> OpenAll(NamespaceThread thread, ITableLog log)
        {
            ulong own = OwnInode();
            string? ownName = null;
            var named = new List<NetworkNamespace>();
            var seen = new Dictionary<ulong, string>();
            try
            {
                foreach (string name in Names())
                {
                    LinuxNetworkNamespace? opened = TryOpenNamed(name, own, thread, log);
                    if (opened is null)
                    {
                        continue;
                    }

                    if (opened.IsOwn && ownName is null)
                    {
                        ownName = name;
                        opened.Dispose();
                    }
                    else if (opened.IsOwn || seen.ContainsKey(opened.Tag.Inode))
                    {
                        log.Verbose($"Network namespace '{name}' is another name of {(opened.IsOwn ? ownName : seen[opened.Tag.Inode])}: read once, under that name.");
                        opened.Dispose();
                    }
                    else
                    {
                        seen.Add(opened.Tag.Inode, name);
                        named.Add(opened);
                    }
                }

                var all = new List<NetworkNamespace> { LinuxNetworkNamespace.Own(new NamespaceTag(ownName ?? NamespaceTag.Unnamed(own), own), ownName) };
                all.AddRange(named);
                all.AddRange(OpenHeldByProcesses(own, seen, log));
                log.Verbose($"{all.Count} network namespace(s): {string.Join(", ", all.ConvertAll(n => n.Label))}.");
                return all;
            }
            catch
            {
                named.ForEach(n => n.Dispose());
                throw;
            }
        }

        /// <inheritdoc />
        public List<string> Names()
        {
            var names = new List<string>();
            try
            {
                foreach (string file in Directory.GetFiles(NamedDirectory))
                {
                    string name = Path.GetFileName(file);
                    if (IsName(name))
                    {
                        names.Add(name);
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // No /run/netns (no namespace was ever named) or unreadable: no names.
            }

            names.Sort(StringComparer.Ordinal);
            return names;
        }

        /// <summary>The inode of the namespace PowerShell runs in (the caller's thread is never a moved one).</summary>
        private static ulong OwnInode()
        {
            try
            {
                return LinuxNetworkNamespace.ThisThreadInode();
            }
            catch (NativeCallException e)
            {
                throw SocketTableException.ReadFailed(e);
            }
            catch (SocketTableFormatException e)
            {
                throw SocketTableException.ReadFailed(e);
            }
        }

        /// <summary>A name ip netns could have made: not empty, not '.' or '..', no '/'.</summary>
        private static bool IsName(string name) => name.Length > 0 && name != "." && name != ".." && name.IndexOf('/') < 0 && name.IndexOf('\0') < 0;

        /// <summary>Opens a namespace file and learns its inode by entering it.</summary>
        private static LinuxNetworkNamespace OpenFile(string given, string path, string? label, string? name, int pid, ulong own, NamespaceThread thread)
        {
            if (!NamespaceFile.TryOpen(path, out SafeFd? fd, out Errno errno))
            {
                throw NamespaceErrors.FromOpen(given, path, errno);
            }

            LinuxNetworkNamespace opened = LinuxNetworkNamespace.Opened(fd!, new NamespaceTag(given, 0), name, pid);
            try
            {
                opened.Identify(thread, label, own);
                return opened;
            }
            catch (Exception e)
            {
                opened.Dispose();
                throw e switch
                {
                    SocketTableException known => known,
                    NativeCallException call => SocketTableException.ReadFailed(call),
                    _ => e,
                };
            }
        }

        /// <summary>One named namespace of -AllNetworkNamespaces; null when it vanished or is no namespace (a warning says so).</summary>
        private static LinuxNetworkNamespace? TryOpenNamed(string name, ulong own, NamespaceThread thread, ITableLog log)
        {
            try
            {
                return OpenFile(name, NamedDirectory + "/" + name, name, name, 0, own, thread);
            }
            catch (SocketTableException e) when (e.ErrorId == NamespaceErrors.NotFoundId)
            {
                return null; // deleted while we looked
            }
            catch (SocketTableException e) when (e.ErrorId == NamespaceErrors.NotANamespaceId)
            {
                // ip netns add leaves such a file behind when it fails halfway; ip netns list shows it too.
                log.Warning("NotANamespace:" + name, $"{NamedDirectory}/{name} is not a network namespace (left behind by a failed 'ip netns add'?); skipped.");
                return null;
            }
        }

        /// <summary>
        /// The namespaces processes are in that no name leads to, in inode order, each opened through the first process
        /// found in it; a namespace whose processes all ended meanwhile is left out.
        /// </summary>
        private static List<NetworkNamespace> OpenHeldByProcesses(ulong own, Dictionary<ulong, string> named, ITableLog log)
        {
            var holders = new SortedDictionary<ulong, List<int>>();
            var denied = new List<int>();
            foreach (int pid in AllProcessIds())
            {
                if (!NamespaceFile.TryReadLink(LinkOf(pid), out string? link, out Errno errno))
                {
                    if (errno == Errno.EACCES || errno == Errno.EPERM)
                    {
                        denied.Add(pid); // ENOENT: it ended, or it is a zombie
                    }

                    continue;
                }

                if (NamespaceLink.TryParseNetwork(link, out ulong inode) && inode != own && !named.ContainsKey(inode))
                {
                    if (!holders.TryGetValue(inode, out List<int>? pids))
                    {
                        holders.Add(inode, pids = new List<int>());
                    }

                    pids.Add(pid);
                }
            }

            if (denied.Count > 0)
            {
                log.Warning("NamespacesHidden", HiddenProcesses(denied));
            }

            var opened = new List<NetworkNamespace>();
            foreach (KeyValuePair<ulong, List<int>> holder in holders)
            {
                LinuxNetworkNamespace? held = OpenThroughProcesses(holder.Key, holder.Value);
                if (held is null)
                {
                    log.Verbose($"Network namespace {NamespaceTag.Unnamed(holder.Key)} went away before it could be read.");
                    continue;
                }

                opened.Add(held);
            }

            return opened;
        }

        /// <summary>The namespace <paramref name="inode"/>, opened through the first of <paramref name="pids"/> still in it; null when none is.</summary>
        private static LinuxNetworkNamespace? OpenThroughProcesses(ulong inode, List<int> pids)
        {
            foreach (int pid in pids)
            {
                if (NamespaceFile.TryOpen(LinkOf(pid), out SafeFd? fd, out _))
                {
                    // The link is read again now that it is open: the process may have moved, or ended and its pid gone to another.
                    if (NamespaceFile.TryReadLink(LinkOf(pid), out string? link, out _) && NamespaceLink.TryParseNetwork(link, out ulong now) && now == inode)
                    {
                        return LinuxNetworkNamespace.Opened(fd!, new NamespaceTag(NamespaceTag.Unnamed(inode), inode), null, pid);
                    }

                    fd!.Dispose();
                }
            }

            return null;
        }

        /// <summary>-NetworkNamespace net:[N]: through a process in it, else through a name that leads to it.</summary>
        private static NetworkNamespace FindByInode(string given, ulong inode, ulong own, NamespaceThread thread)
        {
            var pids = new List<int>();
            foreach (int pid in AllProcessIds())
            {
                if (NamespaceFile.TryReadLink(LinkOf(pid), out string? link, out _) && NamespaceLink.TryParseNetwork(link, out ulong linked) && linked == inode)
                {
                    pids.Add(pid);
                }
            }

            LinuxNetworkNamespace? held = OpenThroughProcesses(inode, pids);
            if (held is not null)
            {
                return held;
            }

            foreach (string name in new LinuxNetworkNamespaces().Names())
            {
                LinuxNetworkNamespace opened;
                try
                {
                    opened = OpenFile(name, NamedDirectory + "/" + name, name, name, 0, own, thread);
                }
                catch (SocketTableException e) when (e.ErrorId != NamespaceErrors.AccessDeniedId)
                {
                    continue;
                }

                if (opened.Tag.Inode == inode)
                {
                    return opened;
                }

                opened.Dispose();
            }

            throw NamespaceErrors.NotFound(given, "no process is in it and no name in /run/netns leads to it (a namespace is gone once its last process ends)");
        }

        /// <summary>Why some processes' namespaces could not be seen: other users' without root, or root refused by the system.</summary>
        private static string HiddenProcesses(List<int> denied)
        {
            string which = OwnerPermissions.Pids(denied);
            return Libc.geteuid() == 0
                ? $"The network namespace of {which} could not be seen (readlink /proc/<pid>/ns/net: permission denied) although this process runs as root: a security module or a sandbox hides it. A namespace only they are in is missing."
                : $"The network namespace of {which}, other users', could not be seen (permission denied), so some namespaces may be missing. Run as root (sudo) to read every namespace.";
        }

        private static List<int> AllProcessIds()
        {
            try
            {
                return ProcFdScanner.AllProcessIds();
            }
            catch (NativeCallException e)
            {
                throw SocketTableException.ReadFailed(e);
            }
        }

        private static string LinkOf(int pid) => "/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/ns/net";
    }
}
