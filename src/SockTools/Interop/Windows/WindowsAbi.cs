using System;
using System.Runtime.InteropServices;

namespace SockTools.Interop.Windows
{
    /// <summary>
    /// The Windows readers are written and checked for 64-bit processes (the IP Helper rows are the same in
    /// 32-bit ones, but SID_AND_ATTRIBUTES and handles are not, and nothing has checked them there).
    /// The one place that checks for it.
    /// </summary>
    internal static class WindowsAbi
    {
        internal static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>True in a 64-bit process on Windows.</summary>
        internal static bool IsSupported => IsWindows && IntPtr.Size == 8;
    }
}
