using System;
using System.Collections.Generic;
using System.Text;

namespace SockTools.Table.Linux.Bpf
{
    /// <summary>
    /// The running kernel's own type information (BTF, /sys/kernel/btf/vmlinux), read for the few facts the
    /// socket-fd program needs: where a member sits in a kernel struct and how wide it is, and the type id of
    /// the iterator it attaches to. Those offsets change with every kernel build, so they are never compiled in.
    /// Only the layout of the type records is parsed; an unknown kind makes the whole file unreadable (the
    /// caller falls back to /proc), as the size of its record would be a guess.
    /// </summary>
    internal sealed class KernelTypes
    {
        private const ushort Magic = 0xEB9F;
        private const int KindInt = 1;
        private const int KindPtr = 2;
        private const int KindStruct = 4;
        private const int KindUnion = 5;
        private const int KindEnum = 6;
        private const int KindTypedef = 8;
        private const int KindVolatile = 9;
        private const int KindConst = 10;
        private const int KindRestrict = 11;
        private const int KindFunc = 12;
        private const int KindTypeTag = 18;
        private const int KindEnum64 = 19;
        private const int MaxDepth = 8; // anonymous unions in unions, typedef chains: far deeper than any kernel type

        private readonly byte[] _data;
        private readonly int _strings;
        private readonly int _stringsLength;
        private readonly int[] _offsetOf; // type id -> offset of its record in _data (id 0 is void)

        private KernelTypes(byte[] data, int strings, int stringsLength, int[] offsetOf)
        {
            _data = data;
            _strings = strings;
            _stringsLength = stringsLength;
            _offsetOf = offsetOf;
        }

        /// <summary>Number of type ids, void (0) included.</summary>
        internal int Count => _offsetOf.Length;

        /// <summary>Reads the type records of a raw BTF blob; null with the reason when it is not one this code knows.</summary>
        internal static KernelTypes? Parse(byte[] data, out string? why)
        {
            why = null;
            if (data.Length < 24 || BitConverter.ToUInt16(data, 0) != Magic)
            {
                why = "not BTF data (no 0xEB9F magic)";
                return null;
            }

            int headerLength = BitConverter.ToInt32(data, 4);
            long types = (long)headerLength + BitConverter.ToUInt32(data, 8);
            long typesEnd = types + BitConverter.ToUInt32(data, 12);
            long strings = (long)headerLength + BitConverter.ToUInt32(data, 16);
            long stringsEnd = strings + BitConverter.ToUInt32(data, 20);
            if (headerLength < 24 || typesEnd > data.Length || stringsEnd > data.Length || types > typesEnd || strings > stringsEnd)
            {
                why = "BTF sections point outside the data";
                return null;
            }

            var offsets = new List<int>(200_000) { -1 };
            long at = types;
            while (at < typesEnd)
            {
                if (at + 12 > typesEnd)
                {
                    why = "BTF type records end in the middle of one";
                    return null;
                }

                uint info = BitConverter.ToUInt32(data, (int)at + 4);
                int kind = (int)((info >> 24) & 0x1F);
                int vlen = (int)(info & 0xFFFF);
                int extra = ExtraBytes(kind, vlen);
                if (extra < 0)
                {
                    why = $"BTF type kind {kind} is unknown to this version of SockTools";
                    return null;
                }

                offsets.Add((int)at);
                at += 12 + extra;
            }

            return new KernelTypes(data, (int)strings, (int)(stringsEnd - strings), offsets.ToArray());
        }

        /// <summary>The id of the function type named <paramref name="name"/> (an iterator's target), 0 when there is none.</summary>
        internal int FindFunction(string name)
        {
            for (int id = 1; id < _offsetOf.Length; id++)
            {
                if (Kind(id) == KindFunc && NameIs(NameOffset(id), name))
                {
                    return id;
                }
            }

            return 0;
        }

        /// <summary>
        /// Where <paramref name="member"/> of struct <paramref name="structName"/> begins (bytes) and how many bytes it
        /// takes; members of anonymous unions and structs inside it are found too. False when there is no such
        /// struct or member, or the member is a bitfield.
        /// </summary>
        internal bool TryFindMember(string structName, string member, out int offset, out int size)
        {
            offset = 0;
            size = 0;
            int id = FindStruct(structName);
            return id != 0 && TryFindMemberIn(id, member, 0, 0, out offset, out size);
        }

        /// <summary>The size in bytes of struct <paramref name="structName"/>, 0 when there is none.</summary>
        internal int StructSize(string structName)
        {
            int id = FindStruct(structName);
            return id == 0 ? 0 : (int)SizeOrType(id);
        }

        private static int ExtraBytes(int kind, int vlen) => kind switch
        {
            1 => 4, // INT: encoding
            2 or 7 or 8 or 9 or 10 or 11 or 12 or 16 or 18 => 0, // PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG
            3 => 12, // ARRAY
            4 or 5 => 12 * vlen, // STRUCT, UNION: members
            6 => 8 * vlen, // ENUM
            13 => 8 * vlen, // FUNC_PROTO: parameters
            14 => 4, // VAR
            15 => 12 * vlen, // DATASEC
            17 => 4, // DECL_TAG
            19 => 12 * vlen, // ENUM64
            _ => -1,
        };

        private int FindStruct(string name)
        {
            for (int id = 1; id < _offsetOf.Length; id++)
            {
                if (Kind(id) == KindStruct && Vlen(id) > 0 && NameIs(NameOffset(id), name))
                {
                    return id;
                }
            }

            return 0;
        }

        private bool TryFindMemberIn(int id, string member, int baseBits, int depth, out int offset, out int size)
        {
            offset = 0;
            size = 0;
            int record = _offsetOf[id];
            bool bitfields = (Info(id) & 0x8000_0000) != 0;
            for (int i = 0; i < Vlen(id); i++)
            {
                int at = record + 12 + (12 * i);
                uint nameOffset = BitConverter.ToUInt32(_data, at);
                int type = BitConverter.ToInt32(_data, at + 4);
                uint bits = BitConverter.ToUInt32(_data, at + 8);
                int bitOffset = bitfields ? (int)(bits & 0xFF_FFFF) : (int)bits;
                int bitfieldSize = bitfields ? (int)(bits >> 24) : 0;
                if (nameOffset == 0 && depth < MaxDepth)
                {
                    int inner = Resolve(type);
                    if ((Kind(inner) == KindStruct || Kind(inner) == KindUnion)
                        && TryFindMemberIn(inner, member, baseBits + bitOffset, depth + 1, out offset, out size))
                    {
                        return true;
                    }
                }
                else if (NameIs(nameOffset, member))
                {
                    int bitsFrom = baseBits + bitOffset;
                    if (bitfieldSize != 0 || bitsFrom % 8 != 0)
                    {
                        return false;
                    }

                    offset = bitsFrom / 8;
                    size = SizeOf(type);
                    return size > 0;
                }
            }

            return false;
        }

        /// <summary>The size of a type in bytes (typedefs and qualifiers followed); 0 for kinds with no plain size.</summary>
        private int SizeOf(int id)
        {
            int resolved = Resolve(id);
            return Kind(resolved) switch
            {
                KindPtr => 8,
                KindInt or KindEnum or KindEnum64 or KindStruct or KindUnion => (int)SizeOrType(resolved),
                _ => 0,
            };
        }

        /// <summary>Follows typedefs and qualifiers to the type they name.</summary>
        private int Resolve(int id)
        {
            for (int depth = 0; depth < MaxDepth && id > 0 && id < _offsetOf.Length; depth++)
            {
                int kind = Kind(id);
                if (kind != KindTypedef && kind != KindVolatile && kind != KindConst && kind != KindRestrict && kind != KindTypeTag)
                {
                    return id;
                }

                id = (int)SizeOrType(id);
            }

            return id > 0 && id < _offsetOf.Length ? id : 0;
        }

        private uint NameOffset(int id) => BitConverter.ToUInt32(_data, _offsetOf[id]);

        private uint Info(int id) => BitConverter.ToUInt32(_data, _offsetOf[id] + 4);

        private int Kind(int id) => id <= 0 || id >= _offsetOf.Length ? 0 : (int)((Info(id) >> 24) & 0x1F);

        private int Vlen(int id) => (int)(Info(id) & 0xFFFF);

        private uint SizeOrType(int id) => BitConverter.ToUInt32(_data, _offsetOf[id] + 8);

        /// <summary>True when the NUL-terminated string at <paramref name="nameOffset"/> is <paramref name="name"/> (ASCII).</summary>
        private bool NameIs(uint nameOffset, string name)
        {
            if (nameOffset == 0 || nameOffset + name.Length >= _stringsLength)
            {
                return false;
            }

            int at = _strings + (int)nameOffset;
            for (int i = 0; i < name.Length; i++)
            {
                if (_data[at + i] != (byte)name[i])
                {
                    return false;
                }
            }

            return _data[at + name.Length] == 0;
        }

        /// <summary>The name of a type, for tests and messages.</summary>
        internal string NameOf(int id)
        {
            uint offset = id > 0 && id < _offsetOf.Length ? NameOffset(id) : 0;
            if (offset == 0 || offset >= _stringsLength)
            {
                return string.Empty;
            }

            int start = _strings + (int)offset;
            int end = start;
            while (end < _strings + _stringsLength && _data[end] != 0)
            {
                end++;
            }

            return Encoding.ASCII.GetString(_data, start, end - start);
        }
    }
}
