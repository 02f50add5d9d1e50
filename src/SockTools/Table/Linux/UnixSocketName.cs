using System.Text;

namespace SockTools.Table.Linux
{
    /// <summary>
    /// A UNIX socket's name as ss prints it, from the bytes of sun_path (a UNIX_DIAG_NAME attribute): a file path up
    /// to its terminating NUL; an abstract name (first byte NUL) whole, every NUL in it written as '@', so
    /// "\0journal\0x" reads "@journal@x". An empty name is no name.
    /// </summary>
    internal static class UnixSocketName
    {
        internal static string? Decode(byte[] b, int offset, int length)
        {
            if (length <= 0)
            {
                return null;
            }

            if (b[offset] != 0)
            {
                int end = offset;
                while (end < offset + length && b[end] != 0)
                {
                    end++;
                }

                return Encoding.UTF8.GetString(b, offset, end - offset);
            }

            var name = new StringBuilder(Encoding.UTF8.GetString(b, offset, length));
            return name.Replace('\0', '@').ToString();
        }
    }
}
