using System;
using System.Globalization;
using System.Management.Automation;

namespace SockTools.Validation
{
    /// <summary>
    /// A port to find sockets by (-Port): 1 to 65535. Port 0 is never a port a socket is listening on or talking
    /// to; it is what a listener or an unconnected socket has as its peer port, so "-Port 0" would quietly match
    /// every listener. Refused instead, with what to use for that question.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidateSocketPortAttribute : ValidateEnumeratedArgumentsAttribute
    {
        /// <summary>Throws when the element is outside 1..65535.</summary>
        protected override void ValidateElement(object element)
        {
            object value = element is PSObject wrapped ? wrapped.BaseObject : element;
            if (value is int port && port >= 1 && port <= 65535)
            {
                return;
            }

            string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            throw new ValidationMetadataException(
                $"{text} is not a port to look for: ports are 1 to 65535. Sockets without a peer (listeners, unconnected UDP) have peer port 0; find them with Get-SockListener or -State Listen, Unconnected.");
        }
    }
}
