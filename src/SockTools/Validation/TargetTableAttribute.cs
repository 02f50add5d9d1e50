using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using SockTools.Probe;

namespace SockTools.Validation
{
    /// <summary>
    /// Lets a hashtable stand for a target, as a [pscustomobject] with the same keys would:
    /// @{ ComputerName = 'db01'; Port = 5432 } becomes 'db01:5432'. PowerShell binds properties by
    /// name but never hashtable keys, and without this the hashtable would bind as its type name
    /// ('System.Collections.Hashtable'). A hashtable's port belongs to its name, like a port written
    /// into it. Anything else passes through untouched, so a piped SocketEntry still skips this
    /// parameter and reaches -InputObject.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class TargetTableAttribute : ArgumentTransformationAttribute
    {
        /// <summary>The keys that name the host and the port: the parameters' names and aliases.</summary>
        internal static readonly string[] HostKeys = { "ComputerName", "TargetName", "HostName", "RemoteAddress" };

        internal static readonly string[] PortKeys = { "Port", "TcpPort", "RemotePort" };

        private const string Shape = "A hashtable names its target with the key ComputerName (or TargetName, HostName, RemoteAddress) and optionally Port (or TcpPort, RemotePort), for example @{ ComputerName = 'db01'; Port = 5432 }";

        /// <summary>Turns hashtables (alone or in an array) into target strings; returns anything else as it is.</summary>
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = Unwrap(inputData);
            if (value is IDictionary table)
            {
                return Names(table).ToArray();
            }

            if (value is IList list && !(value is string) && list.Cast<object>().Any(item => Unwrap(item) is IDictionary))
            {
                var names = new List<object?>();
                foreach (object item in list)
                {
                    if (Unwrap(item) is IDictionary each)
                    {
                        names.AddRange(Names(each));
                    }
                    else
                    {
                        names.Add(item);
                    }
                }

                return names.ToArray();
            }

            return inputData;
        }

        private static object Unwrap(object value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        private static IEnumerable<string> Names(IDictionary table)
        {
            object? hostValue = Single(table, HostKeys, required: true);
            object? portValue = Single(table, PortKeys, required: false);
            int[] ports = portValue == null ? Array.Empty<int>() : Ports(portValue);
            var names = new List<string>();
            foreach (object? host in Values(hostValue))
            {
                string text = Convert.ToString(Unwrap(host!), CultureInfo.InvariantCulture) ?? string.Empty;
                if (ports.Length == 0)
                {
                    names.Add(text);
                    continue;
                }

                // A name that does not parse is left for the -ComputerName validation to explain.
                if (!TargetNameParser.TryParse(text, out TargetName? name, out _))
                {
                    names.Add(text);
                    continue;
                }

                if (name!.Port != null)
                {
                    throw new ArgumentTransformationMetadataException($"The hashtable gives a port twice: in its name ('{text}') and as Port ({string.Join(", ", ports)}). Give one of them. {Shape}.");
                }

                string host6 = name.Host.IndexOf(':') >= 0 ? "[" + name.Host + "]" : name.Host;
                names.AddRange(ports.Select(p => host6 + ":" + p.ToString(CultureInfo.InvariantCulture)));
            }

            return names;
        }

        /// <summary>The one value under any of <paramref name="keys"/> (case-insensitive); null when none and not required.</summary>
        private static object? Single(IDictionary table, string[] keys, bool required)
        {
            var found = table.Keys.Cast<object>()
                .Select(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? string.Empty)
                .Where(k => keys.Contains(k, StringComparer.OrdinalIgnoreCase))
                .ToList();
            if (found.Count > 1)
            {
                throw new ArgumentTransformationMetadataException($"The hashtable has both {string.Join(" and ", found)}; give one. {Shape}.");
            }

            if (found.Count == 0)
            {
                if (!required)
                {
                    return null;
                }

                string has = table.Count == 0 ? "no keys" : "the keys " + string.Join(", ", table.Keys.Cast<object>());
                throw new ArgumentTransformationMetadataException($"The hashtable has {has}, and none names a computer. {Shape}.");
            }

            object? key = table.Keys.Cast<object>().First(k => string.Equals(Convert.ToString(k, CultureInfo.InvariantCulture), found[0], StringComparison.OrdinalIgnoreCase));
            return table[key];
        }

        private static IEnumerable<object?> Values(object? value)
            => Unwrap(value!) is IEnumerable many && !(Unwrap(value!) is string) ? many.Cast<object?>() : new[] { value };

        private static int[] Ports(object value)
        {
            var ports = new List<int>();
            foreach (object? each in Values(value))
            {
                object? raw = each == null ? null : Unwrap(each);
                if (!LanguagePrimitives.TryConvertTo(raw, CultureInfo.InvariantCulture, out int port) || port < TargetNameParser.MinPort || port > TargetNameParser.MaxPort)
                {
                    string text = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? string.Empty;
                    throw new ArgumentTransformationMetadataException($"The hashtable's port is not valid: {TargetNameParser.PortOutOfRange("'" + text + "'")} {Shape}.");
                }

                ports.Add(port);
            }

            return ports.ToArray();
        }
    }
}
