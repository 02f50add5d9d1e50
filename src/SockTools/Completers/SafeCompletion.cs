using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace SockTools.Completers
{
    /// <summary>Runs a completer so that nothing it does can throw into the user's prompt.</summary>
    internal static class SafeCompletion
    {
        /// <summary>The results, all produced now; on any failure none at all rather than an error.</summary>
        internal static IEnumerable<CompletionResult> Run(Func<IEnumerable<CompletionResult>> complete)
        {
            try
            {
                return complete().ToList();
            }
            catch (Exception) // everything, on purpose: this runs inside the user's prompt
            {
                return Array.Empty<CompletionResult>();
            }
        }
    }
}
