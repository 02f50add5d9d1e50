using System.Globalization;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// The text by which the kernel names a namespace: the target of /proc/&lt;pid&gt;/ns/net and its siblings,
    /// "net:[4026531833]" (the kind, then the inode of the namespace's file in nsfs). Also what users type back as
    /// -NetworkNamespace for a namespace without a name.
    /// </summary>
    internal static class NamespaceLink
    {
        /// <summary>Splits "net:[4026531833]" into "net" and 4026531833; false for anything else.</summary>
        internal static bool TryParse(string? text, out string kind, out ulong inode)
        {
            kind = string.Empty;
            inode = 0;
            if (text is null)
            {
                return false;
            }

            int colon = text.IndexOf(':');
            if (colon <= 0 || text.Length < colon + 4 || text[colon + 1] != '[' || text[text.Length - 1] != ']')
            {
                return false;
            }

            string digits = text.Substring(colon + 2, text.Length - colon - 3);
            foreach (char c in digits)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            for (int i = 0; i < colon; i++)
            {
                if (text[i] < 'a' || text[i] > 'z')
                {
                    return false;
                }
            }

            if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out inode))
            {
                return false;
            }

            kind = text.Substring(0, colon);
            return true;
        }

        /// <summary>The inode of a network namespace's link text ("net:[N]"); false for other kinds and other text.</summary>
        internal static bool TryParseNetwork(string? text, out ulong inode)
        {
            if (TryParse(text, out string kind, out inode) && kind == "net")
            {
                return true;
            }

            inode = 0; // another kind's inode is no network namespace's
            return false;
        }
    }
}
