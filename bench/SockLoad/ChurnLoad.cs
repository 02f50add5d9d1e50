// Churn mode (--churn SECONDS): one process that opens and closes loopback connections continuously
// for the soak benchmark (bench/Invoke-Soak.ps1), logging each one. Everything lives on 127.0.61.0/24,
// which nothing else in the repository uses, so a watch can be limited to exactly this load.
using System.Net;
using System.Net.Sockets;

internal static class ChurnLoad
{
    public const int FirstListenerPort = 23001;
    private const int Listeners = 2; // 127.0.61.1:23001 and 127.0.61.2:23002

    public static int Run(Options o)
    {
        // Same contract as the classic load: a process group of its own (the soak kills it with one
        // kill(-pgid)), and death with whoever started it, even by SIGKILL.
        Native.setpgid(0, 0);
        Native.prctl(Native.PR_SET_PDEATHSIG, Native.SIGKILL, 0, 0, 0);

        // About 1,300 connections are open at once at 100/s (both ends are ours): far above the default 1,024 fds.
        FileLimit.Raise(16384);

        var listeners = new Socket[Listeners];
        for (int i = 0; i < Listeners; i++)
        {
            listeners[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listeners[i].Bind(new IPEndPoint(IPAddress.Parse($"127.0.61.{i + 1}"), FirstListenerPort + i));
            listeners[i].Listen(128);
        }

        using var log = new ChurnLog(o.LogPath!);
        Console.Out.WriteLine($"ready {Environment.ProcessId} {FirstListenerPort} {Listeners}");
        Console.Out.Flush();

        var loop = new ChurnLoop(listeners, log, o.Rate, o.Seed);
        loop.Run(TimeSpan.FromSeconds(o.Churn));
        log.Dispose();
        foreach (Socket listener in listeners)
        {
            listener.Close();
        }

        Console.Out.WriteLine($"done {loop.Made} {loop.Errors} {loop.Skipped}");
        Console.Out.Flush();
        return 0;
    }
}
