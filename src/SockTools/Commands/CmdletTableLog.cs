using System.Collections.Generic;
using System.Management.Automation;
using SockTools.Table;

namespace SockTools.Commands
{
    /// <summary>
    /// Turns the reader's explanations into the cmdlet's -Verbose, warning and error streams. Each kind of
    /// warning is written once per command, so a watch polling every second does not repeat itself.
    /// </summary>
    internal sealed class CmdletTableLog : ITableLog
    {
        private readonly Cmdlet _cmdlet;
        private readonly HashSet<string> _warned = new HashSet<string>();

        internal CmdletTableLog(Cmdlet cmdlet) => _cmdlet = cmdlet;

        public void Verbose(string message) => _cmdlet.WriteVerbose(message);

        public void Warning(string id, string message)
        {
            if (_warned.Add(id))
            {
                _cmdlet.WriteWarning(message);
            }
        }

        public void Failed(SocketTableException error) => _cmdlet.WriteError(Errors.TableFailed(error));
    }
}
