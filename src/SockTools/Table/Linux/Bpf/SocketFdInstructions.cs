using System.Collections.Generic;

namespace SockTools.Table.Linux.Bpf
{
    /// <summary>
    /// The socket-fd program as BPF instructions, with this kernel's struct offsets filled in. In C it would read:
    /// <code>
    /// if (!ctx->file || !ctx->task) return 0;
    /// if (ctx->task->pid != ctx->task->tgid) return 0; // a thread with a file table of its own: /proc/&lt;pid&gt;/fd shows the main one's
    /// struct inode *inode = ctx->file->f_inode;
    /// if (!inode || (inode->i_mode &amp; S_IFMT) != S_IFSOCK) return 0;
    /// struct { u64 ino; u32 tgid; u32 fd; } r = { inode->i_ino, ctx->task->tgid, ctx->fd };
    /// bpf_seq_write(ctx->meta->seq, &amp;r, sizeof r);
    /// return 0;
    /// </code>
    /// Written out by hand (there is no compiler for BPF on a user's machine) and small enough to check by eye.
    /// </summary>
    internal sealed class SocketFdInstructions
    {
        // struct bpf_iter__task_file, the iterator's context: fixed by the kernel's DEFINE_BPF_ITER_FUNC(task_file, ...).
        private const short ContextMeta = 0;
        private const short ContextTask = 8;
        private const short ContextFd = 16;
        private const short ContextFile = 24;
        private const short MetaSeq = 0; // struct bpf_iter_meta: the seq_file comes first
        private const int HelperSeqWrite = 127; // BPF_FUNC_seq_write
        private const int FileTypeMask = 0xF000; // S_IFMT
        private const int SocketFileType = 0xC000; // S_IFSOCK

        // Opcodes (class | size | mode, or class | operation | source).
        private const byte LoadDoubleWord = 0x79; // BPF_LDX | BPF_MEM | BPF_DW
        private const byte LoadWord = 0x61; // BPF_LDX | BPF_MEM | BPF_W
        private const byte LoadHalfWord = 0x69; // BPF_LDX | BPF_MEM | BPF_H
        private const byte StoreDoubleWord = 0x7B; // BPF_STX | BPF_MEM | BPF_DW
        private const byte StoreWord = 0x63; // BPF_STX | BPF_MEM | BPF_W
        private const byte MoveRegister = 0xBF; // BPF_ALU64 | BPF_MOV | BPF_X
        private const byte MoveImmediate = 0xB7; // BPF_ALU64 | BPF_MOV | BPF_K
        private const byte AddImmediate = 0x07; // BPF_ALU64 | BPF_ADD | BPF_K
        private const byte AndImmediate = 0x57; // BPF_ALU64 | BPF_AND | BPF_K
        private const byte JumpIfEqual = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
        private const byte JumpIfNotEqual = 0x55; // BPF_JMP | BPF_JNE | BPF_K
        private const byte JumpIfNotEqualRegister = 0x5D; // BPF_JMP | BPF_JNE | BPF_X
        private const byte Call = 0x85; // BPF_JMP | BPF_CALL
        private const byte Exit = 0x95; // BPF_JMP | BPF_EXIT

        private readonly List<byte> _bytes = new List<byte>(24 * 8);

        private SocketFdInstructions(int iteratorTypeId)
        {
            IteratorTypeId = iteratorTypeId;
        }

        /// <summary>The BTF id of the iterator's function (bpf_iter_task_file), which the program attaches to.</summary>
        internal int IteratorTypeId { get; }

        /// <summary>Number of instructions.</summary>
        internal int Count => _bytes.Count / 8;

        /// <summary>The instructions as the kernel takes them (struct bpf_insn, 8 bytes each).</summary>
        internal byte[] Bytes => _bytes.ToArray();

        /// <summary>The program for the kernel described by <paramref name="types"/>; null with the reason when a field is not where it is needed.</summary>
        internal static SocketFdInstructions? For(KernelTypes types, out string? whyNot)
        {
            int iterator = types.FindFunction("bpf_iter_task_file");
            if (iterator == 0)
            {
                whyNot = "the kernel has no task-file iterator (bpf_iter_task_file; needs 5.8 or later)";
                return null;
            }

            if (!types.TryFindMember("bpf_iter__task_file", "fd", out int fdOffset, out int fdSize) || fdOffset != ContextFd || fdSize != 4
                || types.StructSize("bpf_iter__task_file") != 32)
            {
                whyNot = "the task-file iterator's context is not the one this program reads";
                return null;
            }

            if (!Member(types, "file", "f_inode", 8, out short inodeOfFile, out whyNot)
                || !Member(types, "inode", "i_mode", 2, out short modeOfInode, out whyNot)
                || !Member(types, "inode", "i_ino", 8, out short numberOfInode, out whyNot)
                || !Member(types, "task_struct", "tgid", 4, out short tgidOfTask, out whyNot)
                || !Member(types, "task_struct", "pid", 4, out short tidOfTask, out whyNot))
            {
                return null;
            }

            var code = new SocketFdInstructions(iterator);
            const short toExit = 24; // the index of "r0 = 0" below; jumps count from the next instruction
            code.Add(MoveRegister, 6, 1, 0, 0); // 0: r6 = ctx
            code.Add(LoadDoubleWord, 2, 6, ContextFile, 0); // 1: r2 = ctx->file
            code.Add(JumpIfEqual, 2, 0, toExit - 3, 0); // 2: if (!r2) goto exit
            code.Add(LoadDoubleWord, 3, 6, ContextTask, 0); // 3: r3 = ctx->task
            code.Add(JumpIfEqual, 3, 0, toExit - 5, 0); // 4: if (!r3) goto exit
            code.Add(LoadWord, 8, 3, tgidOfTask, 0); // 5: r8 = task->tgid
            code.Add(LoadWord, 7, 3, tidOfTask, 0); // 6: r7 = task->pid (the thread's id)
            code.Add(JumpIfNotEqualRegister, 7, 8, toExit - 8, 0); // 7: if (r7 != r8) goto exit: not the main thread
            code.Add(LoadDoubleWord, 4, 2, inodeOfFile, 0); // 8: r4 = file->f_inode
            code.Add(JumpIfEqual, 4, 0, toExit - 10, 0); // 9: if (!r4) goto exit
            code.Add(LoadHalfWord, 5, 4, modeOfInode, 0); // 10: r5 = inode->i_mode
            code.Add(AndImmediate, 5, 0, 0, FileTypeMask); // 11: r5 &= S_IFMT
            code.Add(JumpIfNotEqual, 5, 0, toExit - 13, SocketFileType); // 12: if (r5 != S_IFSOCK) goto exit
            code.Add(LoadDoubleWord, 7, 4, numberOfInode, 0); // 13: r7 = inode->i_ino
            code.Add(LoadWord, 9, 6, ContextFd, 0); // 14: r9 = ctx->fd
            code.Add(StoreDoubleWord, 10, 7, -16, 0); // 15: record.ino = r7 (record at fp-16)
            code.Add(StoreWord, 10, 8, -8, 0); // 16: record.tgid = r8
            code.Add(StoreWord, 10, 9, -4, 0); // 17: record.fd = r9
            code.Add(LoadDoubleWord, 1, 6, ContextMeta, 0); // 18: r1 = ctx->meta
            code.Add(LoadDoubleWord, 1, 1, MetaSeq, 0); // 19: r1 = meta->seq
            code.Add(MoveRegister, 2, 10, 0, 0); // 20: r2 = fp
            code.Add(AddImmediate, 2, 0, 0, -16); // 21: r2 = &record
            code.Add(MoveImmediate, 3, 0, 0, 16); // 22: r3 = sizeof record
            code.Add(Call, 0, 0, 0, HelperSeqWrite); // 23: bpf_seq_write(r1, r2, r3)
            code.Add(MoveImmediate, 0, 0, 0, 0); // 24: exit: r0 = 0
            code.Add(Exit, 0, 0, 0, 0); // 25: return r0
            whyNot = null;
            return code;
        }

        /// <summary>A member's offset, when it exists with the width the program loads and fits a load's 16-bit offset.</summary>
        private static bool Member(KernelTypes types, string structName, string member, int size, out short offset, out string? whyNot)
        {
            offset = 0;
            if (!types.TryFindMember(structName, member, out int at, out int width) || width != size || at > short.MaxValue)
            {
                whyNot = $"struct {structName} has no {size}-byte member {member} this program can read";
                return false;
            }

            offset = (short)at;
            whyNot = null;
            return true;
        }

        private void Add(byte opcode, int destination, int source, short offset, int immediate)
        {
            _bytes.Add(opcode);
            _bytes.Add((byte)((source << 4) | destination)); // dst_reg in the low nibble, src_reg in the high one
            _bytes.Add((byte)offset);
            _bytes.Add((byte)(offset >> 8));
            _bytes.Add((byte)immediate);
            _bytes.Add((byte)(immediate >> 8));
            _bytes.Add((byte)(immediate >> 16));
            _bytes.Add((byte)(immediate >> 24));
        }
    }
}
