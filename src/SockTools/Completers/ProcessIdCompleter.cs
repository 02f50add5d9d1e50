using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SockTools.Completers
{
    /// <summary>
    /// Tab completion for -ProcessId: the pids of the processes that hold sockets, ascending, each listed
    /// with its name. What was typed matches the pid (-ProcessId 12 offers 123, 1200) or the name
    /// (-ProcessId pyth offers the pids of python3).
    /// </summary>
    public sealed class ProcessIdCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => SafeCompletion.Run(() => Complete(new TypedWord(wordToComplete), CompletionSnapshot.Current(CompletionNamespace.From(fakeBoundParameters))));

        private static IEnumerable<CompletionResult> Complete(TypedWord typed, CompletionSnapshot snapshot)
        {
            foreach (KeyValuePair<int, string?> owner in snapshot.Owners)
            {
                string pid = owner.Key.ToString(CultureInfo.InvariantCulture);
                if (typed.Matches(pid) || (owner.Value is not null && typed.Matches(owner.Value)))
                {
                    // The pid is digits, a safe token as it is; the name is only shown, made visible first.
                    string name = owner.Value is null ? string.Empty : " " + HiddenCharacters.MakeVisible(owner.Value);
                    yield return new CompletionResult(pid, pid + name, CompletionResultType.ParameterValue, pid + name);
                }
            }
        }
    }
}
