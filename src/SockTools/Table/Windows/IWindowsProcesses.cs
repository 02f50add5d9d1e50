using SockTools.Interop.Windows;

namespace SockTools.Table.Windows
{
    /// <summary>
    /// What the Windows owner lookup asks about the processes its rows name: their names and the accounts they
    /// run as. Behind an interface so the lookup's filters and warnings are tested with a fake; one instance
    /// serves one read.
    /// </summary>
    internal interface IWindowsProcesses
    {
        /// <summary>The name as Get-Process shows it (svchost, without .exe); null when the process is gone.</summary>
        string? NameOf(int pid);

        /// <summary>The account the process runs as, or why it could not be read.</summary>
        AccountLookup AccountOf(int pid);
    }

    /// <summary>An account name (DOMAIN\user), or the call that failed and its Win32 error.</summary>
    internal readonly struct AccountLookup
    {
        private AccountLookup(string? name, string? failedCall, int error)
        {
            Name = name;
            FailedCall = failedCall;
            Error = error;
        }

        internal string? Name { get; }

        internal string? FailedCall { get; }

        internal int Error { get; }

        /// <summary>The process belongs to someone this user may not look at (another user's, a protected one).</summary>
        internal bool Denied => Error == (int)Win32Error.ERROR_ACCESS_DENIED;

        /// <summary>The process ended after the table was read (OpenProcess then calls the pid an invalid parameter).</summary>
        internal bool Gone => Error == (int)Win32Error.ERROR_INVALID_PARAMETER;

        internal static AccountLookup Found(string? name) => new AccountLookup(name, null, 0);

        internal static AccountLookup Failed(string call, int error) => new AccountLookup(null, call, error);
    }
}
