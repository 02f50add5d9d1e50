using System;
using System.Globalization;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Parses one line of /proc/net/unix (the kernel's unix_seq_show): "Num: RefCount Protocol Flags Type St Inode
    /// [Path]", the first five in hex, the inode in decimal, the name last (abstract names with '@' for NUL, as ss
    /// prints them). The file says less than unix_diag: no peer, no queues, no uid. Pure: a string in, a row out.
    /// </summary>
    internal static class UnixProcNetParser
    {
        private const uint AcceptCon = 0x10000; // __SO_ACCEPTCON in Flags: the socket listens

        // St: SS_UNCONNECTED 1, SS_CONNECTING 2, SS_CONNECTED 3, SS_DISCONNECTING 4. The kernel prints 2 and 4 for
        // sockets without a socket file (inode 0): a connection not yet accept()ed, or one being torn down.
        private const int Connected = 3;

        /// <summary>
        /// True when the line starts like a socket line ("&lt;hex&gt;: "); a line that does not is the rest of the name
        /// of the line before it, which held a newline.
        /// </summary>
        internal static bool IsSocketLine(string line)
        {
            int colon = line.IndexOf(':');
            if (colon <= 0 || colon + 1 >= line.Length || line[colon + 1] != ' ')
            {
                return false;
            }

            for (int i = 0; i < colon; i++)
            {
                if (!Uri.IsHexDigit(line[i]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// The row of a socket line; false for a socket without a socket file (inode 0: not yet accepted, or being
        /// torn down), which netlink does not list either and which no process holds.
        /// </summary>
        /// <exception cref="SocketTableFormatException">The line is not a socket line of /proc/net/unix.</exception>
        internal static bool TryParseLine(string line, out SocketRecord row)
        {
            row = default;
            string[] fields = line.Split(new[] { ' ' }, 8, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 7 || !IsSocketLine(line))
            {
                throw Malformed(line, "seven columns");
            }

            uint flags = Hex(fields[3], line);
            int typeNumber = (int)Hex(fields[4], line);
            int st = (int)Hex(fields[5], line);
            if (!ulong.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode))
            {
                throw Malformed(line, "a decimal inode");
            }

            if (!UnixDiag.TryGetType(typeNumber, out UnixSocketType type))
            {
                throw Malformed(line, "socket type 1, 2 or 5");
            }

            if (inode == 0)
            {
                return false;
            }

            row = new SocketRecord
            {
                Protocol = SocketProtocol.Unix,
                State = (flags & AcceptCon) != 0 ? SocketState.Listen : st == Connected ? SocketState.Established : SocketState.Unconnected,
                Inode = inode,
                Unseen = UnseenFields.Timer | UnseenFields.Retransmits | UnseenFields.Queues | UnseenFields.UserId,
                Unix = new UnixSocketDetails(type, NameOf(line), 0),
            };
            return true;
        }

        /// <summary>The row with <paramref name="continuation"/> (a line of its own in the file) added to its name after a newline.</summary>
        internal static SocketRecord WithNameContinued(SocketRecord row, string continuation)
        {
            UnixSocketDetails unix = row.Unix!;
            row.Unix = new UnixSocketDetails(unix.Type, unix.Path + "\n" + continuation, unix.PeerInode);
            return row;
        }

        /// <summary>Everything after the one space that follows the inode: a name may hold spaces of its own.</summary>
        private static string? NameOf(string line)
        {
            int at = 0;
            for (int field = 0; field < 7; field++)
            {
                while (at < line.Length && line[at] == ' ')
                {
                    at++;
                }

                while (at < line.Length && line[at] != ' ')
                {
                    at++;
                }
            }

            return at + 1 < line.Length ? line.Substring(at + 1) : null;
        }

        private static uint Hex(string field, string line)
            => uint.TryParse(field.TrimEnd(':'), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value) ? value : throw Malformed(line, "hex numbers");

        private static SocketTableFormatException Malformed(string line, string expected)
            => new SocketTableFormatException($"Expected {expected} in /proc/net/unix line: {line.Trim()}");
    }
}
