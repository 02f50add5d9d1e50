using SockTools.Table;
using SockTools.Table.Linux;
using Xunit;

namespace SockTools.Tests.Namespaces;

/// <summary>The text by which the kernel names a namespace ("net:[4026531833]"), which users also type back.</summary>
public class NamespaceLinkTests
{
    [Theory]
    [InlineData("net:[4026531833]", "net", 4026531833UL)]
    [InlineData("mnt:[4026531832]", "mnt", 4026531832UL)]
    [InlineData("pid_for_children:[1]", null, 0UL)]
    [InlineData("net:[0004026531833]", "net", 4026531833UL)]
    [InlineData("net:[]", null, 0UL)]
    [InlineData("net:[12a]", null, 0UL)]
    [InlineData("net:[-1]", null, 0UL)]
    [InlineData("NET:[1]", null, 0UL)]
    [InlineData("net:[99999999999999999999]", null, 0UL)]
    [InlineData("net:4026531833", null, 0UL)]
    [InlineData("/run/netns/blue", null, 0UL)]
    [InlineData(":[1]", null, 0UL)]
    [InlineData("", null, 0UL)]
    [InlineData(null, null, 0UL)]
    public void ParsesOnlyTheKernelsForm(string? text, string? kind, ulong inode)
    {
        bool parsed = NamespaceLink.TryParse(text, out string gotKind, out ulong gotInode);
        Assert.Equal(kind is not null, parsed);
        if (parsed)
        {
            Assert.Equal(kind, gotKind);
            Assert.Equal(inode, gotInode);
        }

        Assert.Equal(kind == "net", NamespaceLink.TryParseNetwork(text, out ulong network));
        Assert.Equal(kind == "net" ? inode : 0UL, network);
    }

    [Fact]
    public void AnUnnamedNamespaceIsLabelledAsItsLinkReads()
    {
        Assert.Equal("net:[4026532281]", NamespaceTag.Unnamed(4026532281));
        Assert.True(NamespaceLink.TryParseNetwork(NamespaceTag.Unnamed(uint.MaxValue), out ulong inode));
        Assert.Equal(uint.MaxValue, inode);
    }
}
