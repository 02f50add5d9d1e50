using System;
using System.Management.Automation;

namespace SockTools.Validation
{
    /// <summary>
    /// A wildcard pattern that PowerShell can compile: '[' or 'a[b' cannot be, and would otherwise fail later,
    /// in the middle of a read, with a bare WildcardPatternException.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidateWildcardAttribute : ValidateEnumeratedArgumentsAttribute
    {
        /// <summary>Throws when the element is not a valid wildcard pattern.</summary>
        protected override void ValidateElement(object element)
        {
            string pattern = (element is PSObject wrapped ? wrapped.BaseObject : element)?.ToString() ?? string.Empty;
            try
            {
                WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase).IsMatch(string.Empty);
            }
            catch (WildcardPatternException e)
            {
                throw new ValidationMetadataException(
                    $"'{pattern}' is not a valid wildcard pattern ({e.Message.TrimEnd('.')}). Use *, ? and [a-z]; write a literal [ or ] as `[ or `].");
            }
        }
    }
}
