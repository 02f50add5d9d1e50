using System;
using System.Runtime.InteropServices;

namespace SockTools.Interop.MacOS
{
    /// <summary>
    /// The macOS readers use the layouts of 64-bit processes (Intel and Apple silicon alike: both are 64-bit
    /// little-endian). The one place that checks for it.
    /// </summary>
    internal static class MacAbi
    {
        internal static bool IsMacOS => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>True in a 64-bit process on macOS.</summary>
        internal static bool IsSupported => IsMacOS && IntPtr.Size == 8;
    }
}
