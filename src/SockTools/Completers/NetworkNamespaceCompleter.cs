using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using SockTools.Table;

namespace SockTools.Completers
{
    /// <summary>
    /// Tab completion for -NetworkNamespace: the names ip netns lists (/run/netns), sorted, filtered by what was
    /// typed. Anyone who may run ip netns add chooses these names, so each is one safe token, and names with hidden
    /// characters are left out. Namespaces without a name (containers) are reached by path (/proc/&lt;pid&gt;/ns/net),
    /// which the shell's own path completion offers.
    /// </summary>
    public sealed class NetworkNamespaceCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => SafeCompletion.Run(() => Complete(new TypedWord(wordToComplete), SocketPlatform.Current.Namespaces?.Names() ?? new List<string>()));

        internal static IEnumerable<CompletionResult> Complete(TypedWord typed, List<string> names)
        {
            foreach (string name in names)
            {
                if (typed.Matches(name) && ArgumentToken.TryMake(name, out string token))
                {
                    yield return new CompletionResult(token, name, CompletionResultType.ParameterValue, $"network namespace {name} (/run/netns/{name})");
                }
            }
        }
    }
}
