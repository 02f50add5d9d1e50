using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using SockTools.Table.Linux.Bpf;
using Xunit;

namespace SockTools.Tests;

/// <summary>
/// The BTF reader: on a blob built here type by type (anonymous unions, typedef chains, bitfields, kinds it must
/// skip), and on the running kernel's own /sys/kernel/btf/vmlinux where there is one.
/// </summary>
public sealed class KernelTypesTests
{
    /// <summary>Writes BTF the way the kernel lays it out: header, type records, string section.</summary>
    internal sealed class BtfBlob
    {
        private readonly MemoryStream _types = new();
        private readonly MemoryStream _strings = new();

        public BtfBlob() => _strings.WriteByte(0); // offset 0 is the empty name

        public int Count { get; private set; }

        public int Add(string name, int kind, int vlen, uint sizeOrType, bool kindFlag = false, params uint[] extra)
        {
            Write(_types, Name(name));
            Write(_types, ((uint)kind << 24) | (uint)vlen | (kindFlag ? 0x8000_0000u : 0));
            Write(_types, sizeOrType);
            foreach (uint word in extra)
            {
                Write(_types, word);
            }

            return ++Count;
        }

        /// <summary>A struct or union member: name, type, bit offset (or bitfield size and offset with kind_flag).</summary>
        public uint[] Member(string name, int type, uint bits) => new[] { Name(name), (uint)type, bits };

        public byte[] Build(ushort magic = 0xEB9F)
        {
            var blob = new MemoryStream();
            blob.Write(BitConverter.GetBytes(magic));
            blob.WriteByte(1); // version
            blob.WriteByte(0); // flags
            Write(blob, 24); // hdr_len
            Write(blob, 0); // type_off
            Write(blob, (uint)_types.Length);
            Write(blob, (uint)_types.Length); // str_off
            Write(blob, (uint)_strings.Length);
            _types.WriteTo(blob);
            _strings.WriteTo(blob);
            return blob.ToArray();
        }

        private uint Name(string name)
        {
            if (name.Length == 0)
            {
                return 0;
            }

            uint offset = (uint)_strings.Length;
            _strings.Write(Encoding.ASCII.GetBytes(name + "\0"));
            return offset;
        }

        private static void Write(Stream stream, uint value) => stream.Write(BitConverter.GetBytes(value));
    }

    /// <summary>A small kernel: struct file with f_inode in an anonymous union, struct inode, task_struct, the iterator.</summary>
    internal static BtfBlob SmallKernel(bool withTgid = true)
    {
        var btf = new BtfBlob();
        int u16 = btf.Add("unsigned short", 1, 0, 2, extra: 16u);
        int umode = btf.Add("umode_t", 8, 0, (uint)u16); // typedef
        int unsignedLong = btf.Add("long unsigned int", 1, 0, 8, extra: 64u);
        int constUlong = btf.Add(string.Empty, 10, 0, (uint)unsignedLong); // const
        int inode = btf.Add("inode", 4, 2, 80, extra: btf.Member("i_mode", umode, 0).Concat(btf.Member("i_ino", constUlong, 512)).ToArray());
        int inodePointer = btf.Add(string.Empty, 2, 0, (uint)inode);
        int integer = btf.Add("int", 1, 0, 4, extra: 0x0100_0020u);
        btf.Add(string.Empty, 13, 1, 0, extra: new uint[] { 0, (uint)integer }); // FUNC_PROTO with one parameter: skipped by size
        int anonymous = btf.Add(string.Empty, 5, 2, 8, extra: btf.Member("f_inode", inodePointer, 0).Concat(btf.Member("f_other", integer, 0)).ToArray());
        btf.Add("file", 4, 2, 48, extra: btf.Member("f_flags", integer, 0).Concat(btf.Member(string.Empty, anonymous, 256)).ToArray());
        btf.Add("task_struct", 4, 2, 4096, extra: btf.Member("pid", integer, 10112).Concat(btf.Member(withTgid ? "tgid" : "tgid_renamed", integer, 10144)).ToArray());
        btf.Add("bpf_iter__task_file", 4, 4, 32, extra: btf.Member("meta", inodePointer, 0).Concat(btf.Member("task", inodePointer, 64))
            .Concat(btf.Member("fd", integer, 128)).Concat(btf.Member("file", inodePointer, 192)).ToArray());
        btf.Add("bits", 4, 1, 4, kindFlag: true, extra: btf.Member("flag", integer, (1u << 24) | 3));
        int proto = btf.Add(string.Empty, 13, 0, 0);
        btf.Add("bpf_iter_task_file", 12, 0, (uint)proto);
        return btf;
    }

    [Fact]
    public void FindsMembersThroughAnonymousUnionsTypedefsAndQualifiers()
    {
        KernelTypes types = KernelTypes.Parse(SmallKernel().Build(), out string? why)!;
        Assert.Null(why);

        Assert.True(types.TryFindMember("file", "f_inode", out int offset, out int size));
        Assert.Equal((32, 8), (offset, size)); // the union sits at bit 256: its members start there
        Assert.True(types.TryFindMember("inode", "i_mode", out offset, out size));
        Assert.Equal((0, 2), (offset, size)); // umode_t -> unsigned short
        Assert.True(types.TryFindMember("inode", "i_ino", out offset, out size));
        Assert.Equal((64, 8), (offset, size)); // const unsigned long
        Assert.True(types.TryFindMember("task_struct", "tgid", out offset, out size));
        Assert.Equal((1268, 4), (offset, size));
        Assert.Equal(32, types.StructSize("bpf_iter__task_file"));
    }

    [Fact]
    public void AnswersNoForWhatIsNotThere()
    {
        KernelTypes types = KernelTypes.Parse(SmallKernel().Build(), out _)!;
        Assert.False(types.TryFindMember("file", "f_mode", out _, out _));
        Assert.False(types.TryFindMember("no_such_struct", "f_inode", out _, out _));
        Assert.False(types.TryFindMember("bits", "flag", out _, out _)); // a bitfield has no byte offset to load from
        Assert.Equal(0, types.StructSize("no_such_struct"));
        Assert.Equal(0, types.FindFunction("bpf_iter_tcp"));
    }

    [Fact]
    public void FindsAFunctionByNameAfterRecordsOfEveryLength()
    {
        BtfBlob blob = SmallKernel();
        KernelTypes types = KernelTypes.Parse(blob.Build(), out _)!;
        int id = types.FindFunction("bpf_iter_task_file");
        Assert.Equal(blob.Count, id); // the last record: every record before it was stepped over by its own length
        Assert.Equal("bpf_iter_task_file", types.NameOf(id));
        Assert.Equal(blob.Count + 1, types.Count); // with void, id 0
    }

    [Fact]
    public void RefusesWhatItCannotRead()
    {
        Assert.Null(KernelTypes.Parse(SmallKernel().Build(magic: 0x1234), out string? why));
        Assert.Contains("magic", why);

        Assert.Null(KernelTypes.Parse(new byte[10], out why));
        Assert.Contains("magic", why);

        var unknown = SmallKernel();
        unknown.Add("future", 25, 0, 0);
        Assert.Null(KernelTypes.Parse(unknown.Build(), out why));
        Assert.Contains("kind 25", why); // its record length would be a guess

        byte[] cut = SmallKernel().Build();
        BitConverter.GetBytes(uint.MaxValue / 2).CopyTo(cut, 12); // type_len far past the end
        Assert.Null(KernelTypes.Parse(cut, out why));
        Assert.Contains("outside", why);
    }

    [Fact]
    public void TheProgramUsesTheOffsetsItWasGivenAndEveryJumpLandsOnTheExit()
    {
        KernelTypes types = KernelTypes.Parse(SmallKernel().Build(), out _)!;
        SocketFdInstructions code = SocketFdInstructions.For(types, out string? why)!;
        Assert.Null(why);
        Assert.Equal(types.FindFunction("bpf_iter_task_file"), code.IteratorTypeId);
        Assert.Equal(26, code.Count);
        byte[] bytes = code.Bytes;
        var instructions = Enumerable.Range(0, code.Count).Select(i => (
            Opcode: bytes[i * 8],
            Destination: bytes[(i * 8) + 1] & 0xF,
            Source: bytes[(i * 8) + 1] >> 4,
            Offset: BitConverter.ToInt16(bytes, (i * 8) + 2),
            Immediate: BitConverter.ToInt32(bytes, (i * 8) + 4))).ToList();

        int exit = instructions.FindLastIndex(x => x.Opcode == 0xB7 && x.Destination == 0); // r0 = 0
        Assert.Equal(0x95, instructions[exit + 1].Opcode);
        foreach (int jump in Enumerable.Range(0, code.Count).Where(i => instructions[i].Opcode is 0x15 or 0x55 or 0x5D))
        {
            Assert.Equal(exit, jump + 1 + instructions[jump].Offset);
        }

        Assert.Contains(instructions, x => x.Opcode == 0x79 && x.Offset == 32); // file->f_inode
        Assert.Contains(instructions, x => x.Opcode == 0x79 && x.Offset == 64); // inode->i_ino
        Assert.Contains(instructions, x => x.Opcode == 0x69 && x.Offset == 0); // inode->i_mode, 16 bits
        Assert.Contains(instructions, x => x.Opcode == 0x61 && x.Offset == 1268); // task->tgid, 32 bits
        Assert.Contains(instructions, x => x.Opcode == 0x61 && x.Offset == 1264); // task->pid, the thread's id
        Assert.Contains(instructions, x => x.Opcode == 0x5D && x.Destination != x.Source); // only the main thread's table
        Assert.Contains(instructions, x => x.Opcode == 0x85 && x.Immediate == 127); // bpf_seq_write
        Assert.Contains(instructions, x => x.Opcode == 0x55 && x.Immediate == 0xC000); // only sockets are written
    }

    [Fact]
    public void NoProgramWhenAFieldIsMissing()
    {
        KernelTypes types = KernelTypes.Parse(SmallKernel(withTgid: false).Build(), out _)!;
        Assert.Null(SocketFdInstructions.For(types, out string? why));
        Assert.Contains("tgid", why);
    }

    [Fact]
    public void ReadsTheRunningKernelsTypes()
    {
        const string path = "/sys/kernel/btf/vmlinux";
        if (!File.Exists(path))
        {
            return; // no BTF in this kernel: the program is never tried (SocketFdProgramTests covers the answer)
        }

        KernelTypes types = KernelTypes.Parse(File.ReadAllBytes(path), out string? why)!;
        Assert.Null(why);
        Assert.True(types.Count > 1000);
        Assert.True(types.TryFindMember("file", "f_inode", out _, out int size));
        Assert.Equal(8, size);
        Assert.True(types.TryFindMember("task_struct", "tgid", out _, out size));
        Assert.Equal(4, size);
        if (types.FindFunction("bpf_iter_task_file") != 0)
        {
            Assert.NotNull(SocketFdInstructions.For(types, out why));
        }
    }
}
