using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SockTools.Completers
{
    /// <summary>
    /// Tab completion for -ProcessName: the names of the processes that hold sockets (what the cmdlets
    /// can match), sorted, filtered by what was typed (wildcards allowed). Each is one safe token; names
    /// with hidden characters cannot be shown truthfully and are left out.
    /// </summary>
    public sealed class ProcessNameCompleter : IArgumentCompleter
    {
        private const int PidsInToolTip = 5;

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => SafeCompletion.Run(() => Complete(new TypedWord(wordToComplete), CompletionSnapshot.Current(CompletionNamespace.From(fakeBoundParameters))));

        private static IEnumerable<CompletionResult> Complete(TypedWord typed, CompletionSnapshot snapshot)
        {
            IEnumerable<IGrouping<string, int>> byName = snapshot.Owners
                .Where(o => o.Value is not null)
                .GroupBy(o => o.Value!, o => o.Key, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
                .ThenBy(g => g.Key, StringComparer.Ordinal);
            foreach (IGrouping<string, int> name in byName)
            {
                if (typed.Matches(name.Key) && ArgumentToken.TryMake(name.Key, out string token))
                {
                    yield return new CompletionResult(token, name.Key, CompletionResultType.ParameterValue, ToolTip(name.Key, name.ToList()));
                }
            }
        }

        private static string ToolTip(string name, List<int> pids)
        {
            string shown = string.Join(", ", pids.Take(PidsInToolTip).Select(p => p.ToString(CultureInfo.InvariantCulture)));
            string more = pids.Count > PidsInToolTip ? $" and {pids.Count - PidsInToolTip} more" : string.Empty;
            return $"{name} (pid {shown}{more})";
        }
    }
}
