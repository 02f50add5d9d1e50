using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Runtime.InteropServices;
using SockTools.Table.Linux;

namespace SockTools.Completers
{
    /// <summary>
    /// Tab completion for Get-SockSummary -Counters -Name: first the counters SockTools describes (in their reading
    /// order, each with its description as tool tip), then every other counter this kernel has, by name. Names are
    /// letters and digits only, so each is a safe token as it is.
    /// </summary>
    public sealed class CounterNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => SafeCompletion.Run(() => Complete(new TypedWord(wordToComplete), KernelNames()));

        internal static IEnumerable<CompletionResult> Complete(TypedWord typed, IEnumerable<string> kernelNames)
        {
            IEnumerable<string> names = CounterCatalog.Entries.Select(e => e.Name)
                .Concat(kernelNames.OrderBy(n => n, StringComparer.Ordinal))
                .Distinct(StringComparer.Ordinal);
            foreach (string name in names)
            {
                if (typed.Matches(name))
                {
                    yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, CounterCatalog.Describe(name) ?? name);
                }
            }
        }

        /// <summary>Every counter name of this kernel (the files are small); none off Linux.</summary>
        private static IEnumerable<string> KernelNames()
            => RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? new KernelStatistics().ReadCounters().Keys : Enumerable.Empty<string>();
    }
}
