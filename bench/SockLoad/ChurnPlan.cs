// Churn mode: how long each connection lives and how it ends, drawn from a seeded generator so two
// runs with the same --seed make the same load.
internal enum CloseKind
{
    /// <summary>The client closes first with a FIN: the client end waits out TIME_WAIT (60 s).</summary>
    ClientFin,

    /// <summary>The server closes first with a FIN: the server end waits out TIME_WAIT.</summary>
    ServerFin,

    /// <summary>The client resets (SO_LINGER 0): both ends leave the table at once, no TIME_WAIT.</summary>
    ClientRst,

    /// <summary>The server resets: both ends leave the table at once, no TIME_WAIT.</summary>
    ServerRst,

    /// <summary>Still open when the load ended: reset by the client like ClientRst, whatever was planned.</summary>
    EndRst,
}

internal readonly record struct ChurnPlanEntry(string Class, double LifetimeSeconds, CloseKind Close);

internal sealed class ChurnPlan
{
    // Lifetime classes, picked against a watch polling every 0.1 s: 'flash' lives less than one
    // interval (only the kernel's destroy notifications can see it), 'borderline' one to two intervals,
    // the rest more than two (a poll must see them). 'long' ones stay for minutes.
    private static readonly (string Name, double Share, double Min, double Max)[] Classes =
    {
        ("flash", 0.15, 0.000, 0.050),
        ("borderline", 0.10, 0.100, 0.200),
        ("short", 0.55, 0.250, 3.0),
        ("medium", 0.15, 3.0, 30.0),
        ("long", 0.05, 60.0, 300.0),
    };

    // FIN closes leave TIME_WAIT sockets (what real servers see); resets leave none and keep the table
    // small. 60 % FIN at 100 connections/s holds about 3,600 TIME_WAIT sockets, far from any limit.
    private static readonly (CloseKind Kind, double Share)[] Closes =
    {
        (CloseKind.ClientFin, 0.40),
        (CloseKind.ServerFin, 0.20),
        (CloseKind.ClientRst, 0.20),
        (CloseKind.ServerRst, 0.20),
    };

    /// <summary>The longest planned lifetime; the tuple cycle must be longer than this plus TIME_WAIT.</summary>
    public const double LongestLifetimeSeconds = 300.0;

    private readonly Random _random;

    public ChurnPlan(int seed) => _random = new Random(seed);

    public ChurnPlanEntry Next()
    {
        var lifetime = Pick(Classes, c => c.Share);
        var close = Pick(Closes, c => c.Share);
        double seconds = lifetime.Min + (_random.NextDouble() * (lifetime.Max - lifetime.Min));
        return new ChurnPlanEntry(lifetime.Name, seconds, close.Kind);
    }

    private T Pick<T>(T[] choices, Func<T, double> share)
    {
        double x = _random.NextDouble();
        foreach (T choice in choices)
        {
            x -= share(choice);
            if (x < 0)
            {
                return choice;
            }
        }

        return choices[^1]; // rounding left a sliver above the last share
    }
}
