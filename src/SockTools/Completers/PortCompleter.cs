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
    /// Tab completion for -Port and -LocalPort: the ports something listens on (TCP listeners, bound UDP),
    /// ascending, each listed with what listens there: "8000 tcp python3 (127.0.0.1)".
    /// </summary>
    public sealed class PortCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => SafeCompletion.Run(() => Complete(new TypedWord(wordToComplete), CompletionSnapshot.Current(CompletionNamespace.From(fakeBoundParameters))));

        private static IEnumerable<CompletionResult> Complete(TypedWord typed, CompletionSnapshot snapshot)
        {
            foreach (IGrouping<int, SocketEntry> port in snapshot.Listeners.GroupBy(e => e.LocalPort ?? 0).OrderBy(g => g.Key))
            {
                string number = port.Key.ToString(CultureInfo.InvariantCulture);
                if (typed.Matches(number))
                {
                    string text = number + " " + Describe(port);
                    yield return new CompletionResult(number, text, CompletionResultType.ParameterValue, text);
                }
            }
        }

        /// <summary>"tcp python3 (127.0.0.1, ::1); udp avahi-daemon (0.0.0.0)": one part per protocol and owner.</summary>
        private static string Describe(IEnumerable<SocketEntry> sockets)
        {
            IEnumerable<string> parts = sockets
                .GroupBy(e => (e.Protocol, e.ProcessName))
                .OrderBy(g => g.Key.Protocol)
                .ThenBy(g => g.Key.ProcessName, StringComparer.Ordinal)
                .Select(g =>
                {
                    string protocol = g.Key.Protocol == SocketProtocol.Tcp ? "tcp" : "udp";
                    string owner = g.Key.ProcessName is null ? string.Empty : " " + HiddenCharacters.MakeVisible(g.Key.ProcessName);
                    IEnumerable<string> ordered = g.OrderBy(e => e.AddressFamily).ThenBy(e => e.LocalAddress, StringComparer.Ordinal).Select(e => e.LocalAddress!);
                    string addresses = string.Join(", ", ordered.Distinct());
                    return $"{protocol}{owner} ({addresses})";
                });
            return string.Join("; ", parts);
        }
    }
}
