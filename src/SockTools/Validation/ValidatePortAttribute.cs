using System;
using System.Globalization;
using System.Management.Automation;
using SockTools.Probe;

namespace SockTools.Validation
{
    /// <summary>
    /// A TCP port to connect to: 1 to 65535. Port 0 means "any" when binding and is never a
    /// destination, so it is refused here with a message that names the value and the range.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidatePortAttribute : ValidateEnumeratedArgumentsAttribute
    {
        /// <summary>Throws when the element is outside 1..65535.</summary>
        protected override void ValidateElement(object element)
        {
            object value = element is PSObject wrapped ? wrapped.BaseObject : element;
            if (value is int port && port >= TargetNameParser.MinPort && port <= TargetNameParser.MaxPort)
            {
                return;
            }

            string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            throw new ValidationMetadataException(TargetNameParser.PortOutOfRange(text));
        }
    }
}
