using System.Collections.Generic;
using SockTools.Interop.MacOS;
using SockTools.Query;

namespace SockTools.Table.MacOS
{
    /// <summary>
    /// macOS rows: sysctl net.inet.tcp.pcblist_n and net.inet.udp.pcblist_n, the lists netstat reads, which any
    /// user may read and which hold IPv4 and IPv6 sockets alike. The kernel filters nothing, so the query does.
    /// </summary>
    internal sealed unsafe class PcbListReader : ISocketTableReader
    {
        public void Read(SocketQuery query, List<SocketRecord> rows, ITableLog log)
        {
            if (query.IncludeTcpInfo)
            {
                log.Verbose("TCP internals are read through Linux's netlink sock_diag only: on macOS those properties stay empty.");
            }

            foreach (SocketProtocol protocol in new[] { SocketProtocol.Tcp, SocketProtocol.Udp })
            {
                if (!query.Includes(protocol))
                {
                    continue;
                }

                string name = protocol == SocketProtocol.Tcp ? "net.inet.tcp.pcblist_n" : "net.inet.udp.pcblist_n";
                log.Verbose($"Reading sysctl {name}.");
                byte[] buffer = SysctlFetch.Read(name, (byte[] b, ref long length) => Call(name, b, ref length), out int written);
                if (PcbListParser.Parse(buffer, written, protocol, query, rows))
                {
                    log.Verbose($"{name} changed while it was copied (as netstat also notes); this read is a moment's view.");
                }
            }
        }

        private static MacErrno Call(string name, byte[] buffer, ref long length)
        {
            nuint size = (nuint)length;
            fixed (byte* b = buffer)
            {
                int result = LibSystem.sysctlbyname(name, buffer.Length == 0 ? null : b, ref size, null, 0);
                length = (long)size;
                return result == 0 ? MacErrno.None : MacCallException.Last;
            }
        }
    }
}
