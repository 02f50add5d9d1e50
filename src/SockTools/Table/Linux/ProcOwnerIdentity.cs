using System.Collections.Generic;
using System.Globalization;
using SockTools.Interop;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Who an owner process is, from /proc/&lt;pid&gt;/cmdline and /proc/&lt;pid&gt;/cgroup: read for a process the first
    /// time one of its entries is asked, once per read, and never for a process no entry names. A process that
    /// ended (or a file that cannot be read) gives null: these are read after the command has written its
    /// output, when there is no warning stream left to explain a failure in.
    /// </summary>
    internal sealed class ProcOwnerIdentity : OwnerIdentity
    {
        // ARG_MAX is 2 MiB by default; a command line longer than this is shown cut, ending in "…".
        private const int MaxCommandLineBytes = 1024 * 1024;
        private const int MaxCgroupBytes = 64 * 1024;

        private readonly object _gate = new object();
        private readonly Dictionary<int, string?> _commandLines = new Dictionary<int, string?>();
        private readonly Dictionary<int, (string? Service, string? Container)> _cgroups = new Dictionary<int, (string?, string?)>();

        internal override string? CommandLineOf(int pid)
        {
            lock (_gate)
            {
                if (!_commandLines.TryGetValue(pid, out string? text))
                {
                    text = Read(pid, "cmdline", MaxCommandLineBytes, out byte[] bytes, out int length)
                        ? CommandLineText.Decode(bytes, length, cut: length == MaxCommandLineBytes)
                        : null;
                    _commandLines.Add(pid, text);
                }

                return text;
            }
        }

        internal override string? ServiceNameOf(int pid) => CgroupOf(pid).Service;

        internal override string? ContainerIdOf(int pid) => CgroupOf(pid).Container;

        private (string? Service, string? Container) CgroupOf(int pid)
        {
            lock (_gate)
            {
                if (!_cgroups.TryGetValue(pid, out var membership))
                {
                    if (Read(pid, "cgroup", MaxCgroupBytes, out byte[] bytes, out int length))
                    {
                        string text = System.Text.Encoding.UTF8.GetString(bytes, 0, length);
                        membership = (CgroupMembership.ServiceName(text), CgroupMembership.ContainerId(text));
                    }

                    _cgroups.Add(pid, membership);
                }

                return membership;
            }
        }

        private static bool Read(int pid, string file, int maxBytes, out byte[] bytes, out int length)
            => SmallFile.TryReadBytes("/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/" + file, maxBytes, out bytes, out length, out _);
    }
}
