using System.Management.Automation;
using SockTools.Table;

namespace SockTools.Commands
{
    /// <summary>Turns the reader's explanations into the cmdlet's -Verbose and warning streams.</summary>
    internal sealed class CmdletTableLog : ITableLog
    {
        private readonly Cmdlet _cmdlet;

        internal CmdletTableLog(Cmdlet cmdlet) => _cmdlet = cmdlet;

        public void Verbose(string message) => _cmdlet.WriteVerbose(message);

        public void Warning(string message) => _cmdlet.WriteWarning(message);
    }
}
