using System;
using System.IO;

namespace SockTools.Table
{
    /// <summary>
    /// The "how big is it? / here is a buffer / it grew, again" loop of the system calls that copy a whole
    /// table out (Windows' GetExtendedTcpTable, macOS's sysctl pcblist_n). Pure: the call is a function, so
    /// a table that grows between the size answer and the read is tested with a fake.
    /// </summary>
    internal static class GrowingBuffer
    {
        /// <summary>Calls before giving up on a table that grows faster than it is read.</summary>
        internal const int MaxTries = 8;

        /// <summary>No socket table needs more (56-byte rows: millions of sockets); a larger ask is a fault, not a size.</summary>
        internal const int MaxBytes = 512 << 20;

        /// <summary>
        /// Calls <paramref name="attempt"/> with an empty buffer first (a size question), then with buffers grown to
        /// what it asks for plus room for sockets opened in between, until one is big enough.
        /// </summary>
        /// <returns>The buffer and the number of bytes the call wrote into it.</returns>
        /// <exception cref="SocketTableFormatException">The call claimed an impossible length or size.</exception>
        /// <exception cref="IOException">The table outgrew every buffer for <see cref="MaxTries"/> calls.</exception>
        internal static byte[] Fill(string what, Func<byte[], Fill> attempt, out int length)
        {
            byte[] buffer = new byte[0];
            for (int tries = 0; tries < MaxTries; tries++)
            {
                Fill result = attempt(buffer);
                if (result.IsDone)
                {
                    if (result.Length < 0 || result.Length > buffer.Length)
                    {
                        throw new SocketTableFormatException($"{what} reported {result.Length} bytes written into a buffer of {buffer.Length}.");
                    }

                    length = result.Length;
                    return buffer;
                }

                if (result.Needed < 0 || result.Needed > MaxBytes)
                {
                    throw new SocketTableFormatException($"{what} asked for a buffer of {result.Needed} bytes.");
                }

                buffer = new byte[NextSize(result.Needed, buffer.Length)];
            }

            throw new IOException($"{what} kept growing faster than it could be read ({MaxTries} tries).");
        }

        /// <summary>
        /// What was asked for plus an eighth (sockets open while the next call is on its way), and at least
        /// double the last buffer when the call asks for no more than it already had (it must not loop).
        /// </summary>
        internal static int NextSize(int needed, int current)
        {
            long size = needed > current ? needed + (needed / 8) + 256 : Math.Max(2L * current, 256);
            return (int)Math.Min(size, MaxBytes);
        }
    }

    /// <summary>What one call of a table copy answered: done with so many bytes, or too small, needing so many.</summary>
    internal readonly struct Fill
    {
        private Fill(bool done, int length, int needed)
        {
            IsDone = done;
            Length = length;
            Needed = needed;
        }

        internal bool IsDone { get; }

        internal int Length { get; }

        internal int Needed { get; }

        internal static Fill Done(int length) => new Fill(true, length, 0);

        internal static Fill TooSmall(int needed) => new Fill(false, 0, needed);
    }
}
