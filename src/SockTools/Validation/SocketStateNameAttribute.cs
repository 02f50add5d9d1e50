using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace SockTools.Validation
{
    /// <summary>
    /// Lets -State take the words ss and netstat users type (time-wait, estab, syn-recv, CLOSE_WAIT,
    /// fin-wait-1, unconn, ...) besides the PowerShell names, in any case. Tab completion offers the
    /// PowerShell names, which come from the parameter's enum type.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class SocketStateNameAttribute : ArgumentTransformationAttribute
    {
        // Keys are lower case without '-' and '_': "time-wait", "TIME_WAIT" and "TimeWait" all read "timewait".
        private static readonly Dictionary<string, SocketStateFilter> Spellings = Build();

        /// <summary>Strings become SocketStateFilter values; anything else is left to PowerShell's own conversion.</summary>
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object input = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (input is string text)
            {
                return new[] { Parse(text) };
            }

            if (input is IEnumerable items and not IDictionary)
            {
                var states = new List<object>();
                foreach (object item in items)
                {
                    object value = item is PSObject inner ? inner.BaseObject : item;
                    states.Add(value is string name ? Parse(name) : value);
                }

                return states.ToArray();
            }

            return inputData;
        }

        internal static SocketStateFilter Parse(string text)
        {
            string key = Normalize(text);
            if (Spellings.TryGetValue(key, out SocketStateFilter state))
            {
                return state;
            }

            throw new ArgumentTransformationMetadataException(
                $"'{text}' is not a socket state. Use one of {string.Join(", ", Enum.GetNames(typeof(SocketStateFilter)))}, or an ss spelling such as estab, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, close-wait, last-ack, closing, listen, unconn.");
        }

        private static string Normalize(string text)
            => new string(text.Trim().Where(c => c != '-' && c != '_').Select(char.ToLowerInvariant).ToArray());

        private static Dictionary<string, SocketStateFilter> Build()
        {
            var map = new Dictionary<string, SocketStateFilter>(StringComparer.Ordinal);
            foreach (SocketStateFilter state in (SocketStateFilter[])Enum.GetValues(typeof(SocketStateFilter)))
            {
                map[Normalize(state.ToString())] = state;
            }

            // ss state names (ss(8) STATE-FILTER) and the words ss and netstat print.
            map["estab"] = SocketStateFilter.Established;
            map["synrecv"] = SocketStateFilter.SynReceived;
            map["synreceived"] = SocketStateFilter.SynReceived;
            map["listening"] = SocketStateFilter.Listen;
            map["close"] = SocketStateFilter.Bound; // TCP_CLOSE: ss's "closed" state, netstat's CLOSE
            map["closed"] = SocketStateFilter.Bound;
            map["boundinactive"] = SocketStateFilter.Bound;
            map["unconn"] = SocketStateFilter.Unconnected;
            return map;
        }
    }
}
