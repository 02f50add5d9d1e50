using System;
using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using SockTools.Table;

namespace SockTools.Probe
{
    /// <summary>
    /// Whether an address belongs to this host: a loopback address, or one of its interfaces' addresses (which
    /// this host reaches over its own loopback, so its own socket table tells why a connection failed). The
    /// interfaces are listed once per run, and only when a failed target is not on loopback. For connects from
    /// another network namespace, "this host" is that namespace: its interfaces, listed inside it.
    /// </summary>
    internal sealed class LocalAddresses
    {
        private readonly object _gate = new object();
        private readonly ConnectOrigin? _origin;
        private HashSet<AddressValue>? _own;

        /// <param name="origin">The namespace connected from; null for PowerShell's own.</param>
        internal LocalAddresses(ConnectOrigin? origin = null) => _origin = origin;

        internal bool Contains(IPAddress address)
        {
            AddressValue value = AddressValue.FromIPAddress(address).Unmapped;
            return value.IsLoopback || Own().Contains(value);
        }

        private HashSet<AddressValue> Own()
        {
            lock (_gate)
            {
                return _own ??= _origin is null ? ReadInterfaces() : ReadInterfaces(_origin);
            }
        }

        private static HashSet<AddressValue> ReadInterfaces()
        {
            var own = new HashSet<AddressValue>();
            try
            {
                foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
                {
                    foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
                    {
                        own.Add(AddressValue.FromIPAddress(unicast.Address).Unmapped); // the scope id of fe80:: is not part of the value
                    }
                }
            }
            catch (Exception e) when (e is NetworkInformationException || e is PlatformNotSupportedException || e is InvalidOperationException)
            {
                // Without the list, only loopback targets are explained: never a reason to fail the test itself.
            }

            return own;
        }

        private static HashSet<AddressValue> ReadInterfaces(ConnectOrigin origin)
        {
            var own = new HashSet<AddressValue>();
            try
            {
                origin.InterfaceAddresses().ForEach(address => own.Add(AddressValue.FromIPAddress(address).Unmapped));
            }
            catch (Exception e) when (e is NetworkInformationException || e is PlatformNotSupportedException || e is InvalidOperationException || SocketTableException.IsReaderFailure(e))
            {
                // As above: only loopback targets are explained then.
            }

            return own;
        }
    }
}
