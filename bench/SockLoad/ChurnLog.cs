// Churn mode: one CSV line per connection, written when its second end closed, so the soak can check
// every connection against what Watch-SockState reported. Times are given twice: monotonic seconds
// (CLOCK_MONOTONIC, for lifetimes) and UTC wall clock (the watch stamps its changes with the wall clock).
using System.Diagnostics;
using System.Globalization;
using System.Text;

internal sealed class ChurnLog : IDisposable
{
    public const string Header =
        "id,class,close,timeWait,plannedSeconds,client,server,openMono,openUtc,clientCloseMono,clientCloseUtc,serverCloseMono,serverCloseUtc";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly StreamWriter _writer;
    private long _lastFlush;

    public ChurnLog(string path)
    {
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        _writer.WriteLine(Header);
        _writer.Flush();
    }

    /// <summary>A point in time on both clocks.</summary>
    public readonly record struct Stamp(long Ticks, DateTime Utc)
    {
        public static Stamp Now() => new(Stopwatch.GetTimestamp(), DateTime.UtcNow);

        // Stopwatch ticks on Linux are CLOCK_MONOTONIC nanoseconds, so this is the kernel's monotonic clock.
        public string Mono => ((double)Ticks / Stopwatch.Frequency).ToString("F6", Invariant);

        public string Wall => Utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", Invariant);
    }

    public void Write(ChurnConnection c)
    {
        _writer.Write(string.Join(',',
            c.Id.ToString(Invariant), c.Plan.Class, c.Close.ToString(), c.TimeWaitSide,
            c.Plan.LifetimeSeconds.ToString("F3", Invariant), c.Client.ToString(), c.Server.ToString(),
            c.Opened.Mono, c.Opened.Wall, c.ClientClosed.Mono, c.ClientClosed.Wall, c.ServerClosed.Mono, c.ServerClosed.Wall));
        _writer.Write('\n');

        // Flushed about once a second: a soak stopped early still leaves a usable log, at no real cost.
        long now = Stopwatch.GetTimestamp();
        if (now - _lastFlush > Stopwatch.Frequency)
        {
            _writer.Flush();
            _lastFlush = now;
        }
    }

    public void Dispose() => _writer.Dispose();
}
