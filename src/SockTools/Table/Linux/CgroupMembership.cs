using System;
using System.Text.RegularExpressions;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Which service and which container a process runs in, read from its /proc/&lt;pid&gt;/cgroup text. Each line is
    /// "hierarchy:controllers:path": cgroup v2 has the one line "0::/path"; cgroup v1 one line per hierarchy, the
    /// systemd one named "name=systemd"; hybrid systems have both. Pure: text in, names out, tested on line
    /// fixtures of every layout.
    /// </summary>
    internal static class CgroupMembership
    {
        // A container's cgroup, by the runtime that made it, as a path component: docker and Kubernetes with the
        // cgroupfs driver name it by the bare 64-hex id (/docker/<id>, /kubepods/.../pod<uid>/<id>); with systemd
        // it is a scope (docker-<id>.scope, cri-containerd-<id>.scope, crio-<id>.scope, libpod-<id>.scope,
        // nerdctl-<id>.scope). The monitors beside them (crio-conmon-<id>, libpod-conmon-<id>) are not containers.
        private static readonly Regex ContainerComponent = new Regex(
            "^(?:(?:docker|cri-containerd|crio|libpod|nerdctl)-)?(?<id>[0-9a-f]{64})(?:\\.scope)?$",
            RegexOptions.CultureInvariant);

        private static readonly string[] UnitSuffixes = { ".service", ".scope", ".slice" };

        /// <summary>
        /// The systemd service the process runs in: the innermost unit of its path in systemd's hierarchy, when that
        /// unit is a service (nginx.service, getty@tty1.service, a user's pipewire.service); null when it is a scope
        /// (a login session, a container, PID 1's init.scope) or a slice, or the process is in the root cgroup.
        /// systemd's hierarchy is the name=systemd one where there is one (cgroup v1 and hybrid), else the v2 one;
        /// a root path there says nothing, so the other decides.
        /// </summary>
        internal static string? ServiceName(string cgroupText)
        {
            string? path = SystemdPath(cgroupText);
            if (path is null)
            {
                return null;
            }

            string[] components = path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            for (int i = components.Length - 1; i >= 0; i--)
            {
                string component = components[i];
                foreach (string suffix in UnitSuffixes)
                {
                    if (component.Length > suffix.Length && component.EndsWith(suffix, StringComparison.Ordinal))
                    {
                        return suffix == ".service" ? component : null;
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// The short id (the first 12 of its 64 hex digits, as docker ps prints it) of the innermost container the
        /// process runs in, from systemd's hierarchy first, then the v2 one, then any v1 controller; null when none.
        /// </summary>
        internal static string? ContainerId(string cgroupText)
        {
            string? found = null;
            int rank = int.MaxValue;
            foreach ((string controllers, string path) in Lines(cgroupText))
            {
                int lineRank = Rank(controllers);
                if (lineRank < rank && InnermostContainer(path) is string id)
                {
                    found = id;
                    rank = lineRank;
                }
            }

            return found;
        }

        private static string? InnermostContainer(string path)
        {
            string[] components = path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            for (int i = components.Length - 1; i >= 0; i--)
            {
                Match match = ContainerComponent.Match(components[i]);
                if (match.Success)
                {
                    return match.Groups["id"].Value.Substring(0, 12);
                }
            }

            return null;
        }

        /// <summary>The path in systemd's hierarchy (name=systemd, else v2); a root path only when no other says more.</summary>
        private static string? SystemdPath(string cgroupText)
        {
            string? systemd = null;
            string? unified = null;
            foreach ((string controllers, string path) in Lines(cgroupText))
            {
                if (controllers == "name=systemd")
                {
                    systemd = path;
                }
                else if (controllers.Length == 0)
                {
                    unified = path;
                }
            }

            return systemd is not null && systemd != "/" ? systemd : unified ?? systemd;
        }

        /// <summary>0 for systemd's own v1 hierarchy, 1 for v2, 2 for the v1 controllers.</summary>
        private static int Rank(string controllers) => controllers == "name=systemd" ? 0 : controllers.Length == 0 ? 1 : 2;

        private static System.Collections.Generic.IEnumerable<(string Controllers, string Path)> Lines(string cgroupText)
        {
            foreach (string line in cgroupText.Split('\n'))
            {
                // hierarchy-ID:controller-list:cgroup-path; the path may itself hold ':'.
                int first = line.IndexOf(':');
                int second = first < 0 ? -1 : line.IndexOf(':', first + 1);
                if (second > 0)
                {
                    yield return (line.Substring(first + 1, second - first - 1), line.Substring(second + 1));
                }
            }
        }
    }
}
