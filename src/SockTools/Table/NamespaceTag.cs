using System.Collections.Generic;
namespace SockTools.Table
{
    /// <summary>
    /// Which network namespace a row was read in: the label entries show (the namespace's name where it has one,
    /// else "net:[inode]") and the inode, which tells namespaces apart whatever they are called.
    /// </summary>
    internal sealed class NamespaceTag
    {
        // Every tag this process made, by number (0 is none), so a row holds four bytes instead of a reference. Read
        // without a lock (every row of a watch asks): a new tag replaces the array, which is never changed in place.
        private static readonly Dictionary<(string, ulong), NamespaceTag> Known = new Dictionary<(string, ulong), NamespaceTag>();
        private static NamespaceTag?[] _numbered = { null };

        internal NamespaceTag(string label, ulong inode)
        {
            Label = label;
            Inode = inode;
            lock (Known)
            {
                // One number per label and inode for the life of the process: a watch of every namespace opens them
                // anew at each look, and must not use up numbers (or memory) as it goes.
                if (Known.TryGetValue((label, inode), out NamespaceTag? same))
                {
                    Number = same.Number;
                }
                else
                {
                    NamespaceTag?[] grown = new NamespaceTag?[_numbered.Length + 1];
                    System.Array.Copy(_numbered, grown, _numbered.Length);
                    Number = _numbered.Length;
                    grown[Number] = this;
                    Known.Add((label, inode), this);
                    System.Threading.Volatile.Write(ref _numbered, grown);
                }
            }
        }

        /// <summary>This tag's number in the process-wide table (never 0).</summary>
        internal int Number { get; }

        /// <summary>"blue" (a name from ip netns), or "net:[4026532281]" for a namespace only processes hold.</summary>
        internal string Label { get; }

        /// <summary>The namespace's inode: the same for every name and path that leads to it.</summary>
        internal ulong Inode { get; }

        /// <summary>The label of a namespace without a name: "net:[4026532281]", as /proc/&lt;pid&gt;/ns/net links read.</summary>
        internal static string Unnamed(ulong inode) => "net:[" + inode.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

        /// <summary>The tag with that number (one with the same label and inode); null for 0.</summary>
        internal static NamespaceTag? At(int number) => number == 0 ? null : System.Threading.Volatile.Read(ref _numbered)[number];

        public override string ToString() => Label;
    }
}
