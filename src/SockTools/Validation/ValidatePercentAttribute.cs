using System;
using System.Globalization;
using System.Management.Automation;

namespace SockTools.Validation
{
    /// <summary>A percentage: 0 to 100, with a message that names the value and what the percentage is of.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidatePercentAttribute : ValidateArgumentsAttribute
    {
        /// <summary>Throws when the value is not a number from 0 to 100.</summary>
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is double percent && percent >= 0 && percent <= 100)
            {
                return;
            }

            string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            throw new ValidationMetadataException($"{text} is not a percentage: give 0 to 100, the share of the ephemeral port range a destination may use before a warning (0 warns for every destination, 100 only for full ones).");
        }
    }
}
