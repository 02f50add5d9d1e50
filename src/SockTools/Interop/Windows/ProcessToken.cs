using System;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SockTools.Interop.Windows
{
    /// <summary>
    /// kernel32 and advapi32 calls that name the account a process runs as: OpenProcess, OpenProcessToken,
    /// GetTokenInformation(TokenUser), LookupAccountSidW. Declarations only; Table/Windows/ProcessAccounts
    /// uses them and turns failures into "unknown" with a count for the one warning.
    /// </summary>
    internal static unsafe class ProcessToken
    {
        /// <summary>Enough to read a process's token, granted for most processes (winnt.h).</summary>
        internal const uint PROCESS_QUERY_LIMITED_INFORMATION = 0x1000;

        internal const uint TOKEN_QUERY = 0x0008;

        /// <summary>TOKEN_INFORMATION_CLASS TokenUser: a TOKEN_USER (one SID_AND_ATTRIBUTES).</summary>
        internal const int TokenUser = 1;

        [DllImport("kernel32.dll", ExactSpelling = true, SetLastError = true)]
        internal static extern SafeKernelHandle OpenProcess(uint desiredAccess, int inheritHandle, uint processId);

        [DllImport("kernel32.dll", ExactSpelling = true, SetLastError = true)]
        internal static extern int CloseHandle(IntPtr handle);

        [DllImport("advapi32.dll", ExactSpelling = true, SetLastError = true)]
        internal static extern int OpenProcessToken(SafeKernelHandle process, uint desiredAccess, out SafeKernelHandle token);

        [DllImport("advapi32.dll", ExactSpelling = true, SetLastError = true)]
        internal static extern int GetTokenInformation(SafeKernelHandle token, int informationClass, byte* information, int length, out int returnLength);

        [DllImport("advapi32.dll", ExactSpelling = true, SetLastError = true)]
        internal static extern int GetLengthSid(IntPtr sid);

        [DllImport("advapi32.dll", ExactSpelling = true, SetLastError = true)]
        internal static extern int LookupAccountSidW(char* systemName, IntPtr sid, char* name, ref int nameLength, char* domain, ref int domainLength, out int use);
    }

    /// <summary>SID_AND_ATTRIBUTES, which is all a TOKEN_USER holds: PSID Sid; DWORD Attributes (16 bytes in a 64-bit process).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SidAndAttributes
    {
        internal IntPtr Sid;
        internal uint Attributes;
    }

    /// <summary>A process or token handle, closed once (CloseHandle).</summary>
    internal sealed class SafeKernelHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public SafeKernelHandle()
            : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle() => ProcessToken.CloseHandle(handle) != 0;
    }
}
