using System;
using System.Collections.Generic;
using SockTools.Interop;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Linux rows: netlink sock_diag, or /proc/net when netlink is unavailable (or SOCKTOOLS_READER asks for it).
    /// </summary>
    internal sealed class LinuxTableReader : ISocketTableReader
    {
        private static readonly NetlinkSocketReader Netlink = new NetlinkSocketReader();
        private static readonly ProcNetReader Proc = new ProcNetReader();

        public void Read(SocketQuery query, List<SocketRecord> rows, ITableLog log)
        {
            RowCountEstimate.Reserve(query, rows);
            bool netlink = ReadRows(query, rows, log);
            if (query.IncludeTcpInfo && !netlink)
            {
                log.Verbose("TCP internals need netlink sock_diag: those properties stay empty.");
            }

            if (query.IncludeMemoryInfo && !netlink)
            {
                log.Verbose("Socket memory and drops need netlink sock_diag: those properties stay empty.");
            }

            if (KernelStates.MaskFor(query, SocketProtocol.Unix) != 0 && !netlink)
            {
                log.Verbose("/proc/net/unix names no peer, queue or user: PeerInode, the peer's process, the queues and UserId of UNIX sockets stay empty.");
            }
        }

        /// <summary>
        /// Reads with the reader SOCKTOOLS_READER names, or netlink falling back to /proc; true when netlink answered.
        /// Decided on every call: one failed netlink read (seccomp, a transient error) must not cost later
        /// calls their TCP internals and cookies.
        /// </summary>
        private static bool ReadRows(SocketQuery query, List<SocketRecord> rows, ITableLog log)
        {
            // Rows of namespaces read before this one are already in the list: a failed netlink read takes back only its own.
            int before = rows.Count;
            string choice = (Environment.GetEnvironmentVariable(SocketTable.ReaderVariable) ?? "auto").Trim().ToLowerInvariant();
            switch (choice)
            {
                case "proc":
                    log.Verbose($"Reading /proc/net ({SocketTable.ReaderVariable}=proc).");
                    return ReadProc(query, rows, log);
                case "netlink":
                    log.Verbose($"Reading with netlink sock_diag ({SocketTable.ReaderVariable}=netlink; no fallback).");
                    Netlink.Read(query, rows);
                    return true;
                case "auto":
                case "":
                    break;
                default:
                    log.Warning("ReaderUnknown", $"{SocketTable.ReaderVariable}='{choice}' is not a reader; use 'netlink', 'proc' or 'auto'. Using auto.");
                    break;
            }

            try
            {
                log.Verbose($"Reading with netlink sock_diag (TCP states 0x{KernelStates.MaskFor(query, SocketProtocol.Tcp):X}, UDP states 0x{KernelStates.MaskFor(query, SocketProtocol.Udp):X}, UNIX states 0x{KernelStates.MaskFor(query, SocketProtocol.Unix):X}).");
                Netlink.Read(query, rows);
                return true;
            }
            catch (Exception e) when (e is NativeCallException || e is NetlinkErrorException || e is SocketTableFormatException || e is DllNotFoundException)
            {
                rows.RemoveRange(before, rows.Count - before);
                log.Verbose($"Netlink sock_diag failed ({e.Message}); reading /proc/net for this call.");
            }

            return ReadProc(query, rows, log);
        }

        private static bool ReadProc(SocketQuery query, List<SocketRecord> rows, ITableLog log)
        {
            if ((KernelStates.MaskFor(query, SocketProtocol.Tcp) & KernelStates.Bit(KernelStates.BoundInactive)) != 0)
            {
                log.Verbose("/proc/net/tcp lists no socket that is only bound (State Bound): the kernel shows those to netlink sock_diag alone.");
            }

            Proc.Read(query, rows);
            return false;
        }
    }
}
