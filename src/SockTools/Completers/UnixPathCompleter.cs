using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using SockTools.Query;
using SockTools.Table;

namespace SockTools.Completers
{
    /// <summary>
    /// Tab completion for -Path: the names of this system's UNIX sockets (paths and @abstract names), sorted, each
    /// with the kinds and states of the sockets that carry it ("u_str LISTEN, ESTAB"). Reads the UNIX table only,
    /// without owners, so it is quick; in the network namespaces the command line names, as abstract names and the
    /// sockets bound there belong to a namespace. Each completion is one safe token: wildcard characters in a name are escaped
    /// (the parameter takes wildcards), and names with hidden characters are left out.
    /// </summary>
    public sealed class UnixPathCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => SafeCompletion.Run(() => Complete(new TypedWord(wordToComplete), ReadNamedRows(CompletionNamespace.From(fakeBoundParameters))));

        internal static IEnumerable<CompletionResult> Complete(TypedWord typed, List<SocketRecord> rows)
        {
            IEnumerable<IGrouping<string, SocketRecord>> byPath = rows
                .Where(r => r.Unix?.Path is not null)
                .GroupBy(r => r.Unix!.Path!, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal);
            foreach (IGrouping<string, SocketRecord> path in byPath)
            {
                if (typed.Matches(path.Key) && ArgumentToken.TryMake(WildcardPattern.Escape(path.Key), out string token))
                {
                    string kinds = string.Join(", ", path.Select(r => SocketStateNames.Netid(SocketProtocol.Unix, r.Unix!.Type) + " " + SocketStateNames.Ss(r.State)).Distinct());
                    yield return new CompletionResult(token, path.Key, CompletionResultType.ParameterValue, $"{path.Key} ({kinds})");
                }
            }
        }

        private static List<SocketRecord> ReadNamedRows(CompletionNamespace where)
        {
            var query = new SocketQuery { IncludeTcp = false, IncludeUdp = false, IncludeUnix = true, PathMatch = _ => true };
            using NamespaceScope? scope = where.Open();
            return SocketTable.ReadRows(query, new TableSession(CompletionSnapshot.DiscardLog.Instance, scope));
        }
    }
}
