using System.Collections.Generic;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using SockTools.Table;

namespace SockTools.Probe
{
    /// <summary>
    /// Where a target's connections start from when it is not PowerShell's own network namespace: another one,
    /// such as a container's. A socket belongs to the namespace of the thread that creates it and keeps it wherever
    /// it is used, so each socket is made on the <see cref="NamespaceThread"/> inside, and the connect that follows
    /// runs like any other. Names are still resolved here, by this host's resolver.
    /// </summary>
    internal sealed class ConnectOrigin
    {
        private readonly NamespaceThread _thread;

        internal ConnectOrigin(NetworkNamespace where, NamespaceThread thread)
        {
            Namespace = where;
            _thread = thread;
            Scope = NamespaceScope.Borrow(where, thread);
        }

        /// <summary>The namespace as a place to read the socket table in (to explain a failed connect from there).</summary>
        internal NamespaceScope Scope { get; }

        internal NetworkNamespace Namespace { get; }

        /// <summary>The namespace's label, as results show it.</summary>
        internal string Label => Namespace.Label;

        /// <summary>A TCP socket of that namespace.</summary>
        /// <exception cref="SocketException">The socket could not be made (an address family the namespace lacks).</exception>
        /// <exception cref="SocketTableException">The namespace could not be entered any more.</exception>
        internal Socket NewSocket(AddressFamily family) => _thread.Run(Namespace, () => new Socket(family, SocketType.Stream, ProtocolType.Tcp));

        /// <summary>The addresses of the namespace's own interfaces, listed inside it (its loopback included).</summary>
        /// <exception cref="SocketTableException">The namespace could not be entered any more.</exception>
        /// <exception cref="NetworkInformationException">The interfaces could not be listed.</exception>
        internal List<IPAddress> InterfaceAddresses() => _thread.Run(Namespace, () =>
        {
            var addresses = new List<IPAddress>();
            foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    addresses.Add(unicast.Address);
                }
            }

            return addresses;
        });

        /// <summary>Moves a connect worker of SockTools' own into the namespace (nothing to do for PowerShell's own).</summary>
        /// <exception cref="SocketTableException">The namespace could not be entered.</exception>
        internal void EnterThisThread()
        {
            if (!Namespace.IsOwn)
            {
                Namespace.EnterThisThread();
            }
        }

        public override string ToString() => Label;
    }
}
