using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using SockTools.Table.Linux;

namespace SockTools.Completers
{
    /// <summary>
    /// Tab completion for -ProcessName: names of running processes, read from /proc/&lt;pid&gt;/comm
    /// (Process.GetProcesses() elsewhere), cached briefly so repeated Tab presses stay instant.
    /// </summary>
    public sealed class ProcessNameCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);
        private static readonly object Gate = new object();
        private static string[] _names = Array.Empty<string>();
        private static DateTime _readAt = DateTime.MinValue;

        /// <summary>Names that start with what was typed (wildcards allowed), sorted, quoted when needed.</summary>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
            foreach (string name in Names())
            {
                if (pattern.IsMatch(name))
                {
                    string text = name.IndexOfAny(new[] { ' ', '\'', '"', '(', ')', '{', '}', '$', '`', ';', ',' }) >= 0 ? "'" + name.Replace("'", "''") + "'" : name;
                    yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, name);
                }
            }
        }

        private static string[] Names()
        {
            lock (Gate)
            {
                if (DateTime.UtcNow - _readAt > CacheLifetime)
                {
                    _names = ReadNames();
                    _readAt = DateTime.UtcNow;
                }

                return _names;
            }
        }

        private static string[] ReadNames()
        {
            IEnumerable<string?> names = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)
                ? ProcFdScanner.AllProcessIds().Select(ProcessNames.Read)
                : System.Diagnostics.Process.GetProcesses().Select(p => (string?)p.ProcessName);
            return names.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.OrdinalIgnoreCase).ToArray();
        }
    }
}
