using System;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using SockTools.Interop.Windows;

namespace SockTools.Table.Windows
{
    /// <summary>
    /// The account a Windows process runs as: its token's user SID (OpenProcess with the least right that
    /// reads a token, OpenProcessToken, GetTokenInformation(TokenUser)), named by LookupAccountSidW. SIDs are
    /// named once for the life of the module: a busy host has hundreds of processes and a handful of accounts,
    /// and a domain account's name may cost a round trip to a domain controller.
    /// </summary>
    internal static unsafe class ProcessAccounts
    {
        private static readonly ConcurrentDictionary<string, string?> NamesBySid = new ConcurrentDictionary<string, string?>();

        internal static AccountLookup Of(int pid)
        {
            using SafeKernelHandle process = ProcessToken.OpenProcess(ProcessToken.PROCESS_QUERY_LIMITED_INFORMATION, 0, (uint)pid);
            if (process.IsInvalid)
            {
                return AccountLookup.Failed("OpenProcess", Marshal.GetLastWin32Error());
            }

            if (ProcessToken.OpenProcessToken(process, ProcessToken.TOKEN_QUERY, out SafeKernelHandle token) == 0)
            {
                int error = Marshal.GetLastWin32Error();
                token.Dispose();
                return AccountLookup.Failed("OpenProcessToken", error);
            }

            using (token)
            {
                ProcessToken.GetTokenInformation(token, ProcessToken.TokenUser, null, 0, out int needed);
                if (needed <= 0)
                {
                    return AccountLookup.Failed("GetTokenInformation", Marshal.GetLastWin32Error());
                }

                byte[] information = new byte[needed];
                fixed (byte* p = information)
                {
                    if (ProcessToken.GetTokenInformation(token, ProcessToken.TokenUser, p, needed, out _) == 0)
                    {
                        return AccountLookup.Failed("GetTokenInformation", Marshal.GetLastWin32Error());
                    }

                    // TOKEN_USER is one SID_AND_ATTRIBUTES whose Sid points into the same buffer (pinned here).
                    IntPtr sid = ((SidAndAttributes*)p)->Sid;
                    string key = SidKey(sid);
                    if (NamesBySid.TryGetValue(key, out string? known))
                    {
                        return AccountLookup.Found(known);
                    }

                    AccountLookup named = Name(sid);
                    if (named.FailedCall is null || named.Error == (int)Win32Error.ERROR_NONE_MAPPED)
                    {
                        NamesBySid[key] = named.Name; // an unmapped SID (a deleted account) stays unnamed: no use asking again
                        return AccountLookup.Found(named.Name);
                    }

                    return named;
                }
            }
        }

        /// <summary>DOMAIN\user (just user when the domain is empty), asking for the sizes first.</summary>
        private static AccountLookup Name(IntPtr sid)
        {
            int nameLength = 0;
            int domainLength = 0;
            ProcessToken.LookupAccountSidW(null, sid, null, ref nameLength, null, ref domainLength, out _);
            if (nameLength <= 0)
            {
                return AccountLookup.Failed("LookupAccountSidW", Marshal.GetLastWin32Error());
            }

            char[] name = new char[nameLength];
            char[] domain = new char[Math.Max(domainLength, 1)];
            fixed (char* n = name)
            fixed (char* d = domain)
            {
                if (ProcessToken.LookupAccountSidW(null, sid, n, ref nameLength, d, ref domainLength, out _) == 0)
                {
                    return AccountLookup.Failed("LookupAccountSidW", Marshal.GetLastWin32Error());
                }

                // On success the lengths no longer count the terminating NUL.
                string user = new string(n, 0, nameLength);
                return AccountLookup.Found(domainLength > 0 ? new string(d, 0, domainLength) + "\\" + user : user);
            }
        }

        /// <summary>The SID's bytes in hex: a dictionary key that needs no string conversion call.</summary>
        private static string SidKey(IntPtr sid)
        {
            int length = ProcessToken.GetLengthSid(sid);
            var key = new StringBuilder(length * 2);
            for (int i = 0; i < length; i++)
            {
                key.Append(((byte*)sid)[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return key.ToString();
        }
    }
}
