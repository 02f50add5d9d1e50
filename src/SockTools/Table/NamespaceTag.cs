namespace SockTools.Table
{
    /// <summary>
    /// Which network namespace a row was read in: the label entries show (the namespace's name where it has one,
    /// else "net:[inode]") and the inode, which tells namespaces apart whatever they are called.
    /// </summary>
    internal sealed class NamespaceTag
    {
        internal NamespaceTag(string label, ulong inode)
        {
            Label = label;
            Inode = inode;
        }

        /// <summary>"blue" (a name from ip netns), or "net:[4026532281]" for a namespace only processes hold.</summary>
        internal string Label { get; }

        /// <summary>The namespace's inode: the same for every name and path that leads to it.</summary>
        internal ulong Inode { get; }

        /// <summary>The label of a namespace without a name: "net:[4026532281]", as /proc/&lt;pid&gt;/ns/net links read.</summary>
        internal static string Unnamed(ulong inode) => "net:[" + inode.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

        public override string ToString() => Label;
    }
}
