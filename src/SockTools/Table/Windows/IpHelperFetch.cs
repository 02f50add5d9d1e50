using SockTools.Interop.Windows;

namespace SockTools.Table.Windows
{
    /// <summary>One GetExtended*Table call: the table into <paramref name="buffer"/>, or the size it needs into <paramref name="size"/>.</summary>
    internal delegate uint IpHelperCall(byte[] buffer, ref int size);

    /// <summary>
    /// Copies one IP Helper table out, however it grows meanwhile: ERROR_INSUFFICIENT_BUFFER carries the size it
    /// needs now, which may be more than the size it named a moment before. Pure: the call is a function.
    /// </summary>
    internal static class IpHelperFetch
    {
        /// <summary>The table's bytes, or null when Windows has no interface of that family (ERROR_NO_DATA).</summary>
        /// <exception cref="WindowsCallException">The call failed for another reason.</exception>
        internal static byte[]? Read(string call, IpHelperCall fetch, out int length)
        {
            bool noData = false;
            byte[] buffer = GrowingBuffer.Fill(call, attempt =>
            {
                int size = attempt.Length;
                uint result = fetch(attempt, ref size);
                switch ((Win32Error)result)
                {
                    case Win32Error.ERROR_SUCCESS:
                        // On success the size is not documented to change: the rows' count says how much is filled.
                        return Fill.Done(attempt.Length);
                    case Win32Error.ERROR_INSUFFICIENT_BUFFER:
                        return Fill.TooSmall(size);
                    case Win32Error.ERROR_NO_DATA:
                        noData = true;
                        return Fill.Done(0);
                    default:
                        throw new WindowsCallException(call, (int)result);
                }
            }, out length);
            return noData ? null : buffer;
        }
    }
}
