using System;
using System.Management.Automation;
using SockTools.Probe;

namespace SockTools.Validation
{
    /// <summary>
    /// A -ComputerName value must read as a host, an IP address, or either with a port. Checked at
    /// binding time, so a typo fails with a message naming the value and the forms that work.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidateTargetNameAttribute : ValidateEnumeratedArgumentsAttribute
    {
        /// <summary>Throws when the element is not a usable target.</summary>
        protected override void ValidateElement(object element)
        {
            object? value = element is PSObject wrapped ? wrapped.BaseObject : element;
            if (!TargetNameParser.TryParse(value?.ToString(), out _, out string? problem))
            {
                throw new ValidationMetadataException(problem);
            }
        }
    }
}
