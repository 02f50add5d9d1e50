// Command line of SockLoad, shared by the master and its children (the master passes its own
// options on, plus --child and --master).
using System.Globalization;

internal sealed class Options
{
    public int Connections { get; private set; } = 1000;
    public int Processes { get; private set; } = 50;
    public int Udp { get; private set; } = 100;
    public int UnixPairs { get; private set; } = 100;
    public int TimeWait { get; private set; } = 300;
    public int PortBase { get; private set; } = 20000;

    /// <summary>Churn mode (ChurnLoad.cs): seconds of opening and closing connections; 0 = the classic held load.</summary>
    public int Churn { get; private set; }

    /// <summary>Churn mode: connections opened per second.</summary>
    public int Rate { get; private set; } = 100;

    /// <summary>Churn mode: seed of the lifetimes and close kinds, so two runs make the same load.</summary>
    public int Seed { get; private set; } = 1;

    /// <summary>Churn mode: where every connection is logged (CSV); required with --churn.</summary>
    public string? LogPath { get; private set; }

    /// <summary>1-based index of this child; 0 in the master.</summary>
    public int Child { get; private set; }

    /// <summary>The master's pid, given to children so they can tell it died before they armed PR_SET_PDEATHSIG.</summary>
    public int Master { get; private set; }

    public const string Usage =
        "usage: SockLoad [--connections N] [--processes P] [--udp U] [--unix X] [--timewait T] [--port-base B]\n" +
        "  Holds N loopback TCP connections (both ends) spread over P child processes, plus U bound UDP\n" +
        "  sockets, X UNIX stream socket pairs and about T client sockets in TIME_WAIT. Child i listens on\n" +
        "  127.0.1.i:(B+i). Prints 'ready <master-pid> <port-of-child-1> <tcp-socket-count>' when every\n" +
        "  child is ready, then runs until killed. Defaults: N=1000 P=50 U=100 X=100 T=300 B=20000.\n" +
        "usage: SockLoad --churn SECONDS --log PATH [--rate R] [--seed S]\n" +
        "  Churn mode, one process: opens R loopback TCP connections a second on 127.0.61.0/24 for SECONDS,\n" +
        "  each closed after a planned lifetime, and logs every one of them to PATH (CSV). Prints\n" +
        "  'ready <pid> <port> 2' once its two listeners are up and 'done <connections> <errors> <skipped>' at the end,\n" +
        "  after closing everything it still holds; then exits. Defaults: R=100 S=1.";

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "-h" or "--help")
            {
                throw new ArgumentException(Usage);
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value.\n{Usage}");
            }

            if (name == "--log")
            {
                o.LogPath = args[++i];
                continue;
            }

            int value = int.Parse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture);
            switch (name)
            {
                case "--connections": o.Connections = value; break;
                case "--processes": o.Processes = value; break;
                case "--udp": o.Udp = value; break;
                case "--unix": o.UnixPairs = value; break;
                case "--timewait": o.TimeWait = value; break;
                case "--port-base": o.PortBase = value; break;
                case "--child": o.Child = value; break;
                case "--master": o.Master = value; break;
                case "--churn": o.Churn = value; break;
                case "--rate": o.Rate = value; break;
                case "--seed": o.Seed = value; break;
                default: throw new ArgumentException($"unknown option {name}\n{Usage}");
            }
        }

        // One /24 of listener addresses (127.0.1.1-250), and listener ports below the ephemeral range
        // so no client port can ever equal a listener port and muddy a 'sport = :PORT' filter.
        if (o.Processes is < 1 or > 250)
        {
            throw new ArgumentException("--processes must be between 1 and 250.");
        }

        if (o.PortBase < 1024 || o.PortBase + o.Processes > 32767)
        {
            throw new ArgumentException("--port-base must leave every listener port (base+1 .. base+P) between 1024 and 32767.");
        }

        if (o.Churn > 0 && (o.LogPath is null || o.Rate is < 1 or > 1000))
        {
            throw new ArgumentException("--churn needs --log PATH, and --rate between 1 and 1000.");
        }

        return o;
    }

    /// <summary>This child's share of a total: spread as evenly as possible, the first ones take the remainder.</summary>
    public int ShareOf(int total, int child) => (total / Processes) + (child <= total % Processes ? 1 : 0);

    public string ChildArguments(int child, int master) => string.Join(' ',
        "--connections", Connections, "--processes", Processes, "--udp", Udp, "--unix", UnixPairs,
        "--timewait", TimeWait, "--port-base", PortBase, "--child", child, "--master", master);
}
