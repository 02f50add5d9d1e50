using System.Collections.Generic;

namespace SockTools.Table
{
    /// <summary>
    /// A log for a reader running on another thread (inside a network namespace): it keeps what the reader says,
    /// and the pipeline thread, the only one that may write to PowerShell, replays it afterwards in order.
    /// </summary>
    internal sealed class DeferredTableLog : ITableLog
    {
        private readonly List<object> _said = new List<object>(); // a verbose line (string), a warning, or a failure

        public void Verbose(string message) => _said.Add(message);

        public void Warning(string id, string message) => _said.Add(new KeptWarning(id, message));

        public void Failed(SocketTableException error) => _said.Add(error);

        /// <summary>Says everything kept, in order, through <paramref name="log"/>; call on the thread that owns it.</summary>
        internal void ReplayTo(ITableLog log)
        {
            foreach (object said in _said)
            {
                switch (said)
                {
                    case string line:
                        log.Verbose(line);
                        break;
                    case KeptWarning warning:
                        log.Warning(warning.Id, warning.Message);
                        break;
                    case SocketTableException error:
                        log.Failed(error);
                        break;
                }
            }

            _said.Clear();
        }

        private sealed class KeptWarning
        {
            internal KeptWarning(string id, string message)
            {
                Id = id;
                Message = message;
            }

            internal string Id { get; }

            internal string Message { get; }
        }
    }
}
