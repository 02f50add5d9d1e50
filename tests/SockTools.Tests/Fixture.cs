using System;
using System.IO;

namespace SockTools.Tests;

/// <summary>
/// Files in Fixtures/ (copied next to the test assembly). The *.bin files are sock_diag replies
/// captured from a little-endian x86_64 kernel by <see cref="NetlinkCapture"/>, so their host-order
/// fields (lengths, queues, uid, inode, cookie) read correctly only on a little-endian machine,
/// which every platform .NET runs this module on is.
/// </summary>
internal static class Fixture
{
    internal static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
