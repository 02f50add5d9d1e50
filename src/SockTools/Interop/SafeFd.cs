using System;
using System.Runtime.InteropServices;

namespace SockTools.Interop
{
    /// <summary>A file descriptor that is closed exactly once, also when an exception or a stop comes first.</summary>
    internal sealed class SafeFd : SafeHandle
    {
        internal SafeFd(int fd)
            : base(new IntPtr(-1), ownsHandle: true)
        {
            SetHandle(new IntPtr(fd));
        }

        public override bool IsInvalid => handle.ToInt64() < 0;

        /// <summary>The number, for the calls that take one; valid while this object is not disposed.</summary>
        internal int Value => (int)handle.ToInt64();

        protected override bool ReleaseHandle() => Libc.close((int)handle.ToInt64()) == 0;
    }
}
