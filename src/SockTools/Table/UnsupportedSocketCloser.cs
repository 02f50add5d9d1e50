namespace SockTools.Table
{
    /// <summary>
    /// The closer of a system that cannot close another process's socket (yet): every socket gets
    /// <see cref="SocketCloseResult.Unsupported"/> with the same advice, which the cmdlet says once.
    /// </summary>
    internal sealed class UnsupportedSocketCloser : ISocketCloser
    {
        private readonly SocketCloseOutcome _answer;

        internal UnsupportedSocketCloser(string advice)
            => _answer = new SocketCloseOutcome(SocketCloseResult.Unsupported, "not supported on this system", advice);

        public SocketCloseOutcome Close(SocketEntry entry) => _answer;

        public void Dispose()
        {
        }
    }
}
