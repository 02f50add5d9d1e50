using System.Collections.Generic;
using System.Diagnostics;

namespace SockTools.Table.Windows
{
    /// <summary>
    /// The live processes for one read: every name from one snapshot (Process.GetProcesses, which asks the
    /// kernel once and needs no rights over the processes), accounts through <see cref="ProcessAccounts"/>.
    /// </summary>
    internal sealed class WindowsProcesses : IWindowsProcesses
    {
        private Dictionary<int, string>? _names;

        public string? NameOf(int pid)
        {
            _names ??= Snapshot();
            return _names.TryGetValue(pid, out string? name) ? name : null;
        }

        public AccountLookup AccountOf(int pid) => ProcessAccounts.Of(pid);

        private static Dictionary<int, string> Snapshot()
        {
            var names = new Dictionary<int, string>();
            foreach (Process process in Process.GetProcesses())
            {
                using (process)
                {
                    names[process.Id] = process.ProcessName;
                }
            }

            return names;
        }
    }
}
