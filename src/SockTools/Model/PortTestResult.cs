using System.Globalization;
using System.Text;

namespace SockTools
{
    /// <summary>
    /// The answer of Test-SockPort for one host and port (or one address of it, with -PerAddress):
    /// whether a TCP connection could be made, to which address, how fast, and from which local port.
    /// Anything that did not happen (no address resolved, no connection made) is null.
    /// </summary>
    public sealed class PortTestResult
    {
        internal PortTestResult(
            string computerName,
            string? remoteAddress,
            int port,
            PortStatus status,
            double? latency,
            string? localAddress,
            int? localPort,
            int attempts,
            string? message,
            PortDiagnosis? diagnosis = null,
            string? explanation = null,
            string? networkNamespace = null)
        {
            ComputerName = computerName;
            RemoteAddress = remoteAddress;
            Port = port;
            Status = status;
            LatencyMs = latency;
            LocalAddress = localAddress;
            LocalPort = localPort;
            Attempts = attempts;
            Message = message;
            Diagnosis = diagnosis;
            Explanation = explanation;
            NetworkNamespace = networkNamespace;
        }

        /// <summary>The host name or IP address as given (without brackets or an inline port).</summary>
        public string ComputerName { get; }

        /// <summary>The address that answered (or the one the reported failure came from), canonical text; null when the name did not resolve.</summary>
        public string? RemoteAddress { get; }

        /// <summary>The TCP port tested.</summary>
        public int Port { get; }

        /// <summary>Open, Refused, TimedOut, NameResolutionFailed, Unreachable, Error or NoFreeLocalPort.</summary>
        public PortStatus Status { get; }

        /// <summary>True when Status is Open.</summary>
        public bool Succeeded => Status == PortStatus.Open;

        /// <summary>Milliseconds from sending the connection request to the answer (handshake done, or refused); null when there was no answer.</summary>
        public double? LatencyMs { get; }

        /// <summary>Local address of the test connection; null unless Open.</summary>
        public string? LocalAddress { get; }

        /// <summary>The ephemeral local port the OS picked for the test connection; null unless Open.</summary>
        public int? LocalPort { get; }

        /// <summary>How many times the target was tried: 1, or more with -Wait.</summary>
        public int Attempts { get; }

        /// <summary>Why the test did not succeed, in words; null when Open.</summary>
        public string? Message { get; }

        /// <summary>
        /// Why the port is not open, read from the socket table where the connection was made from (this host, or the
        /// namespace it connected from): for a target there that was Refused or TimedOut; null when Open, for other
        /// hosts, and for other statuses.
        /// </summary>
        public PortDiagnosis? Diagnosis { get; }

        /// <summary>The diagnosis in a sentence a person can act on (who listens where, what to change); null with it.</summary>
        public string? Explanation { get; }

        /// <summary>The network namespace the connection was made from (-NetworkNamespace, or a piped socket's); null for PowerShell's own.</summary>
        public string? NetworkNamespace { get; }

        /// <summary>The same answer after more tries (-Wait counts them).</summary>
        internal PortTestResult WithAttempts(int attempts)
            => new PortTestResult(ComputerName, RemoteAddress, Port, Status, LatencyMs, LocalAddress, LocalPort, attempts, Message, Diagnosis, Explanation, NetworkNamespace);

        /// <summary>The same answer, explained.</summary>
        internal PortTestResult WithDiagnosis(PortDiagnosis diagnosis, string explanation)
            => new PortTestResult(ComputerName, RemoteAddress, Port, Status, LatencyMs, LocalAddress, LocalPort, Attempts, Message, diagnosis, explanation, NetworkNamespace);

        /// <summary>One line: "localhost:5432 -> 127.0.0.1 Open 0.21 ms" or "db:5432 -> 10.0.0.5 Refused".</summary>
        public override string ToString()
        {
            var line = new StringBuilder();
            line.Append(SocketEntry.FormatEndpoint(ComputerName, Port, false));
            if (RemoteAddress != null && RemoteAddress != ComputerName)
            {
                line.Append(" -> ").Append(RemoteAddress);
            }

            line.Append(' ').Append(Status);
            if (Status == PortStatus.Open && LatencyMs is double ms)
            {
                line.Append(' ').Append(ms.ToString("0.###", CultureInfo.InvariantCulture)).Append(" ms");
            }

            return line.ToString();
        }
    }
}
