// Churn mode: the client ends (address, port) connections come from, chosen by us instead of the
// kernel. A watch tells sockets apart by 4-tuple only, so a 4-tuple that closed and reopened between
// two polls would look like one unbroken connection, and the soak's comparison could not tell which
// connection a change belongs to. Walking a large cycle of client ends and never handing one out
// again within ReuseGap of its last use rules both out.
using System.Diagnostics;
using System.Net;

internal sealed class ChurnTuples
{
    public const int FirstClientAddress = 101; // 127.0.61.101 ..
    public const int ClientAddresses = 8;      // .. 127.0.61.108
    public const int FirstPort = 24000;        // below the ephemeral range (32768-60999 by default)
    public const int Ports = 8000;             // 24000 .. 31999

    /// <summary>A client end is free again this long after its connection fully ended (TIME_WAIT included).</summary>
    public static readonly TimeSpan ReuseGap = TimeSpan.FromSeconds(180);

    private readonly long[] _freeAt = new long[ClientAddresses * Ports]; // Stopwatch ticks; long.MaxValue while in use
    private readonly IPAddress[] _addresses = new IPAddress[ClientAddresses];
    private int _next;

    public ChurnTuples()
    {
        for (int a = 0; a < ClientAddresses; a++)
        {
            _addresses[a] = IPAddress.Parse($"127.0.61.{FirstClientAddress + a}");
        }
    }

    /// <summary>The next free client end after the last one handed out; -1 when every one is busy.</summary>
    public int Take(long now)
    {
        for (int tried = 0; tried < _freeAt.Length; tried++)
        {
            int index = _next;
            _next = (_next + 1) % _freeAt.Length;
            if (_freeAt[index] <= now)
            {
                _freeAt[index] = long.MaxValue;
                return index;
            }
        }

        return -1;
    }

    /// <summary>Hands the end back; <paramref name="endedAt"/> is when its last socket left the table.</summary>
    public void Release(int index, long endedAt) => _freeAt[index] = endedAt + (long)(ReuseGap.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Skipped for good, e.g. because something else holds the port.</summary>
    public void Retire(int index) => _freeAt[index] = long.MaxValue;

    // Ports change fastest, so consecutive connections come from one address with rising ports.
    public IPEndPoint EndPoint(int index) => new(_addresses[index / Ports], FirstPort + (index % Ports));
}
