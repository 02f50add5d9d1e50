using System;
using System.Globalization;
using System.Management.Automation;

namespace SockTools.Validation
{
    /// <summary>
    /// -TimeoutSeconds: 0.001 to 86400 seconds, or 0 for no time limit. Whether 0 is allowed depends
    /// on -Wait, which a validation attribute cannot see; the cmdlet checks that pair before it starts.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidateTimeoutAttribute : ValidateArgumentsAttribute
    {
        internal const double NoLimit = 0;
        internal const double Min = 0.001;
        internal const double Max = 86400;

        /// <summary>Throws when the value is neither 0 nor within 0.001..86400.</summary>
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is double seconds && (seconds == NoLimit || (seconds >= Min && seconds <= Max)))
            {
                return;
            }

            string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            throw new ValidationMetadataException($"{text} is not a valid timeout: give {Min.ToString(CultureInfo.InvariantCulture)} to {Max.ToString(CultureInfo.InvariantCulture)} seconds, or 0 with -Wait to wait without a time limit.");
        }
    }
}
