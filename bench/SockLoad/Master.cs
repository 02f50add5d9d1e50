// The master: becomes a process-group leader, starts P copies of itself as children, waits until
// each reports "ready <port>", prints one "ready" line for the bench, then sleeps until killed.
using System.Diagnostics;
using System.Globalization;

internal static class Master
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    public static int Run(Options o)
    {
        // Its own process group: the bench ends master and children with one kill(-pgid), whatever happens.
        Native.setpgid(0, 0);

        // If the bench dies without its finally block (SIGKILL), follow it; the children follow us.
        Native.prctl(Native.PR_SET_PDEATHSIG, Native.SIGKILL, 0, 0, 0);

        int Per(int total) => (total + o.Processes - 1) / o.Processes;
        ulong perChild = (ulong)((2 * Per(o.Connections)) + Per(o.Udp) + (2 * Per(o.UnixPairs)) + (4 * Per(o.TimeWait)) + 256);
        FileLimit.Raise(perChild);

        // Started from this (the main) thread on purpose: PR_SET_PDEATHSIG fires when the thread that
        // forked a child exits, and the main thread lives exactly as long as the master.
        var children = new List<Process>();
        for (int i = 1; i <= o.Processes; i++)
        {
            children.Add(StartChild(o, i));
        }

        var deadline = Stopwatch.StartNew();
        int firstPort = 0;
        foreach (Process child in children)
        {
            string line = ReadReadyLine(child, StartTimeout - deadline.Elapsed);
            string[] word = line.Split(' ');
            if (word.Length != 2 || word[0] != "ready")
            {
                throw new InvalidOperationException($"child {child.Id} said '{line}' instead of 'ready <port>'.");
            }

            if (firstPort == 0)
            {
                firstPort = int.Parse(word[1], CultureInfo.InvariantCulture);
            }
        }

        // Both ends of every connection, one listener per child, and the client ends in TIME_WAIT.
        int tcpSockets = (2 * o.Connections) + o.Processes + o.TimeWait;
        Console.Out.WriteLine($"ready {Environment.ProcessId} {firstPort} {tcpSockets}");
        Console.Out.Flush();

        Thread.Sleep(Timeout.Infinite);
        GC.KeepAlive(children);
        return 0;
    }

    private static Process StartChild(Options o, int index)
    {
        // Re-execute this program; under 'dotnet SockLoad.dll' the path is the dotnet host, so pass the dll too.
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        string arguments = o.ChildArguments(index, Environment.ProcessId);
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            arguments = $"\"{typeof(Master).Assembly.Location}\" {arguments}";
        }

        var info = new ProcessStartInfo(self, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true, // the ready line; stderr stays ours so child errors reach the bench
        };
        return Process.Start(info) ?? throw new InvalidOperationException("could not start a child");
    }

    private static string ReadReadyLine(Process child, TimeSpan timeout)
    {
        Task<string?> read = child.StandardOutput.ReadLineAsync();
        if (timeout <= TimeSpan.Zero || !read.Wait(timeout))
        {
            throw new TimeoutException($"child {child.Id} was not ready within {StartTimeout.TotalSeconds} s.");
        }

        return read.Result ?? throw new InvalidOperationException($"child {child.Id} exited before it was ready (exit code {(child.WaitForExit(1000) ? child.ExitCode : -1)}).");
    }
}
