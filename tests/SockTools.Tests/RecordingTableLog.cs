using System.Collections.Generic;
using SockTools.Table;

namespace SockTools.Tests;

/// <summary>An <see cref="ITableLog"/> that keeps what it is told, so tests can check verbose lines and warnings.</summary>
internal sealed class RecordingTableLog : ITableLog
{
    public List<string> VerboseLines { get; } = new();

    public List<(string Id, string Message)> Warnings { get; } = new();

    public void Verbose(string message) => VerboseLines.Add(message);

    public void Warning(string id, string message) => Warnings.Add((id, message));

    public List<SocketTableException> Failures { get; } = new();

    public void Failed(SocketTableException error) => Failures.Add(error);
}
