using System;
using System.ComponentModel;

namespace SockTools.Interop.Windows
{
    /// <summary>The Win32 error codes SockTools meets (winerror.h), by name. The one place these numbers are written.</summary>
    internal enum Win32Error
    {
        ERROR_SUCCESS = 0,
        ERROR_INVALID_FUNCTION = 1,
        ERROR_ACCESS_DENIED = 5,
        ERROR_INVALID_HANDLE = 6,
        ERROR_NOT_ENOUGH_MEMORY = 8,
        ERROR_NOT_SUPPORTED = 50,
        ERROR_INVALID_PARAMETER = 87,
        ERROR_INSUFFICIENT_BUFFER = 122,
        ERROR_NO_DATA = 232,

        /// <summary>SetTcpEntry's answer to a process that is not elevated (documented in its remarks).</summary>
        ERROR_MR_MID_NOT_FOUND = 317,
        ERROR_NOT_FOUND = 1168,
        ERROR_NONE_MAPPED = 1332,
    }

    /// <summary>A Windows call failed; carries the Win32 error so callers can tell "denied" from "gone".</summary>
    internal sealed class WindowsCallException : Exception
    {
        internal WindowsCallException(string call, int error)
            : base($"{call} failed: {Describe(error)}")
        {
            Call = call;
            Error = error;
        }

        internal string Call { get; }

        internal int Error { get; }

        /// <summary>"ERROR_ACCESS_DENIED (5): Access is denied." on Windows; the name and number elsewhere.</summary>
        internal static string Describe(int error)
        {
            string name = Enum.IsDefined(typeof(Win32Error), error) ? ((Win32Error)error).ToString() : "error";
            string code = $"{name} ({error})";

            // Only Windows has the system's words for a Win32 code; elsewhere the same number means an errno.
            return System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
                ? $"{code}: {new Win32Exception(error).Message}"
                : code;
        }
    }
}
