// The pwsh floor, compiled by Measure-Rounds.ps1 with Add-Type: a cmdlet that does nothing but make N new objects
// the size of a SocketEntry and write each to the pipeline, as Get-SockConnection does at the end of its read.
// Timed beside `$r = Get-SockConnection -Protocol Tcp` at each size, it shows what pwsh itself costs for keeping
// that many objects (each is wrapped in a PSObject of pwsh's own, and the garbage collector copies both as they
// survive): the part of a read no reader can make faster, and how it grows from 60,000 to 500,000 objects.
using System.Management.Automation;

namespace SockToolsBench
{
    /// <summary>80 bytes of fields, 96 an object with its header: a SocketEntry of a default read.</summary>
    public sealed class EntrySized
    {
        public long A, B, C, D, E, F, G, H, I, J;
    }

    [Cmdlet(VerbsCommunications.Write, "EntrySizedObject")]
    [OutputType(typeof(EntrySized))]
    public sealed class WriteEntrySizedObjectCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        public int Count { get; set; }

        protected override void EndProcessing()
        {
            for (int i = 0; i < Count; i++)
            {
                WriteObject(new EntrySized { A = i });
            }
        }
    }
}
