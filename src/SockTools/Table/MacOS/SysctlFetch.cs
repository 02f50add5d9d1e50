using SockTools.Interop.MacOS;

namespace SockTools.Table.MacOS
{
    /// <summary>
    /// One sysctl call: with an empty <paramref name="buffer"/> it asks for the size (the kernel answers with
    /// room for an eighth more sockets than it has); otherwise it copies into the buffer. <paramref name="length"/>
    /// goes in as the buffer's size and comes out as the bytes written. Returns 0 or the errno.
    /// </summary>
    internal delegate MacErrno SysctlCall(byte[] buffer, ref long length);

    /// <summary>
    /// Copies a whole sysctl list out, however it grows meanwhile: ENOMEM means the list outgrew the buffer.
    /// Pure: the call is a function, so the retry is tested with a fake.
    /// </summary>
    internal static class SysctlFetch
    {
        /// <exception cref="MacCallException">The call failed for another reason.</exception>
        internal static byte[] Read(string name, SysctlCall call, out int length)
            => GrowingBuffer.Fill("sysctl " + name, attempt =>
            {
                long size = attempt.Length;
                MacErrno errno = call(attempt, ref size);
                if (attempt.Length == 0)
                {
                    // The size question; its answer is an estimate, so the next call may still find too little room.
                    return errno == MacErrno.None ? Fill.TooSmall(Clamp(size)) : throw new MacCallException("sysctlbyname", errno, name);
                }

                return errno switch
                {
                    MacErrno.None => Fill.Done(Clamp(size)),
                    MacErrno.ENOMEM => Fill.TooSmall(Clamp(size)),
                    _ => throw new MacCallException("sysctlbyname", errno, name),
                };
            }, out length);

        /// <summary>A size_t the kernel returned, as an int a buffer can have (a larger one fails as too large later).</summary>
        private static int Clamp(long size) => size < 0 ? -1 : size > int.MaxValue ? int.MaxValue : (int)size;
    }
}
