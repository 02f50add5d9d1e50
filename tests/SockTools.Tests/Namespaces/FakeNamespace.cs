using System;
using System.Collections.Generic;
using System.Threading;
using SockTools.Table;

namespace SockTools.Tests.Namespaces;

/// <summary>
/// A network namespace that is entered only in name: it records which threads "entered" it, and can refuse, so the
/// thread handling around namespaces is tested without root or a kernel namespace.
/// </summary>
internal sealed class FakeNamespace : NetworkNamespace
{
    internal FakeNamespace(string label, ulong inode, bool isOwn = false, Exception? refusal = null)
        : base(new NamespaceTag(label, inode), isOwn) => Refusal = refusal;

    /// <summary>The threads that entered, in order (one entry per entering).</summary>
    internal List<Thread> EnteredBy { get; } = new();

    internal Exception? Refusal { get; set; }

    internal bool Disposed { get; private set; }

    internal override void EnterThisThread()
    {
        if (Refusal is not null)
        {
            throw Refusal;
        }

        lock (EnteredBy)
        {
            EnteredBy.Add(Thread.CurrentThread);
        }
    }

    public override void Dispose() => Disposed = true;
}
