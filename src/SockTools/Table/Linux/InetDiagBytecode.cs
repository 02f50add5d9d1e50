using System.Collections.Generic;
using SockTools.Query;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// Compiles the query's port filters into inet_diag bytecode (INET_DIAG_REQ_BYTECODE), so the kernel
    /// skips non-matching sockets instead of sending them: one port out of 60,000 costs a fraction of a
    /// full dump. The program is an AND of groups (-LocalPort, -RemotePort, -Port), each an OR of equality
    /// tests; the user-space filter still runs afterwards, so the bytecode only has to never drop a match.
    /// </summary>
    internal static class InetDiagBytecode
    {
        // Opcodes from include/uapi/linux/inet_diag.h. GE/LE pairs rather than S_EQ/D_EQ keep old kernels working.
        private const byte Jump = 1;
        private const byte SourceGreaterOrEqual = 2;
        private const byte SourceLessOrEqual = 3;
        private const byte DestinationGreaterOrEqual = 4;
        private const byte DestinationLessOrEqual = 5;

        // One equality test: GE op + port word, LE op + port word, JMP to the next group.
        private const int TestLength = 20;

        // Jump distances are 16-bit; beyond this the user-space filter alone does the work.
        private const int MaxLength = 60000;

        internal const ushort INET_DIAG_REQ_BYTECODE = 1;

        /// <summary>The program for the query's port filters, or null when there are none (or too many).</summary>
        internal static byte[]? Compile(SocketQuery query)
        {
            var groups = new List<List<(bool Source, ushort Port)>>();
            AddGroup(groups, query.LocalPorts, source: true, destination: false);
            AddGroup(groups, query.RemotePorts, source: false, destination: true);
            AddGroup(groups, query.AnyPorts, source: true, destination: true);
            if (groups.Count == 0)
            {
                return null;
            }

            int tests = 0;
            foreach (var group in groups)
            {
                tests += group.Count;
            }

            int length = tests * TestLength;
            if (length > MaxLength)
            {
                return null;
            }

            var program = new byte[length];
            int at = 0;
            foreach (var group in groups)
            {
                int groupEnd = at + (group.Count * TestLength);
                for (int i = 0; i < group.Count; i++)
                {
                    int fail = i == group.Count - 1 ? length + 4 : at + TestLength; // last failing test rejects
                    (bool source, ushort port) = group[i];
                    Op(program, at, source ? SourceGreaterOrEqual : DestinationGreaterOrEqual, 8, fail - at);
                    Op(program, at + 4, 0, 0, port);
                    Op(program, at + 8, source ? SourceLessOrEqual : DestinationLessOrEqual, 8, fail - (at + 8));
                    Op(program, at + 12, 0, 0, port);
                    Op(program, at + 16, Jump, 4, groupEnd - (at + 16)); // matched: on to the next group
                    at += TestLength;
                }
            }

            return program;
        }

        private static void AddGroup(List<List<(bool, ushort)>> groups, PortSet? ports, bool source, bool destination)
        {
            if (ports is null)
            {
                return;
            }

            var group = new List<(bool, ushort)>();
            foreach (ushort port in ports.Members())
            {
                if (source)
                {
                    group.Add((true, port));
                }

                if (destination)
                {
                    group.Add((false, port));
                }
            }

            if (group.Count == 0)
            {
                group.Add((true, 0)); // an empty set matches nothing; keep one impossible-ish test rather than none
            }

            groups.Add(group);
        }

        /// <summary>struct inet_diag_bc_op { u8 code; u8 yes; u16 no; } in host byte order.</summary>
        private static void Op(byte[] program, int at, byte code, int yes, int no)
        {
            program[at] = code;
            program[at + 1] = (byte)yes;
            Wire.PutU16(program, at + 2, (ushort)no);
        }
    }
}
