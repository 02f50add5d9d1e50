// One child: listens on 127.0.1.<i>, holds its share of the connections (both ends), UDP sockets,
// UNIX pairs and TIME_WAIT sockets, says "ready <port>", then keeps the TIME_WAIT count topped up.
using System.Net;
using System.Net.Sockets;

internal static class Child
{
    // Kept under net.core.somaxconn (4096 by default) so no SYN is ever dropped and retried a second later.
    private const int Chunk = 1000;

    // TIME_WAIT lasts 60 s (a little more with timer slack, never less): refresh just before a batch expires.
    private static readonly TimeSpan TimeWaitRefresh = TimeSpan.FromSeconds(59);

    public static int Run(Options o)
    {
        // Die with the master. The signal is armed after the fork, so check the master did not die first.
        Native.prctl(Native.PR_SET_PDEATHSIG, Native.SIGKILL, 0, 0, 0);
        if (Native.getppid() != o.Master)
        {
            return 1;
        }

        int i = o.Child;
        var held = new List<Socket>(); // referenced until exit: a collected Socket would close its fd
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Parse($"127.0.1.{i}"), o.PortBase + i));
        listener.Listen(Chunk + 24);
        held.Add(listener);

        // Clients come from their own address (127.0.2.<i>): ports are picked per 4-tuple, so the
        // ephemeral range is never the limit, however many connections all children hold.
        foreach ((Socket client, Socket server) in Connect(listener, IPAddress.Parse($"127.0.2.{i}"), o.ShareOf(o.Connections, i)))
        {
            // Reset instead of FIN when killed: otherwise each run leaves N sockets in TIME_WAIT for a
            // minute, and they would be counted in the next size's measurements.
            client.LingerState = new LingerOption(true, 0);
            server.LingerState = new LingerOption(true, 0);
            held.Add(client);
            held.Add(server);
        }

        for (int k = 0; k < o.ShareOf(o.Udp, i); k++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Parse($"127.0.1.{i}"), 0));
            held.Add(udp);
        }

        // UNIX pairs: never listed by the TCP/UDP readers, but every owner scan has to read past their fds.
        var unixFds = new List<int>();
        for (int k = 0; k < o.ShareOf(o.UnixPairs, i); k++)
        {
            int[] pair = new int[2];
            if (Native.socketpair(Native.AF_UNIX, Native.SOCK_STREAM | Native.SOCK_CLOEXEC, 0, pair) != 0)
            {
                throw new InvalidOperationException("socketpair failed");
            }

            unixFds.AddRange(pair);
        }

        int timeWait = o.ShareOf(o.TimeWait, i);
        var timeWaitSource = IPAddress.Parse($"127.0.3.{i}");
        MakeTimeWait(listener, timeWaitSource, timeWait);

        Console.Out.WriteLine($"ready {o.PortBase + i}");
        Console.Out.Flush();

        while (true)
        {
            Thread.Sleep(timeWait > 0 ? TimeWaitRefresh : Timeout.InfiniteTimeSpan);
            MakeTimeWait(listener, timeWaitSource, timeWait);
            GC.KeepAlive(held);
        }
    }

    /// <summary>Opens <paramref name="count"/> connections to the listener, in chunks the accept queue can hold.</summary>
    private static List<(Socket Client, Socket Server)> Connect(Socket listener, IPAddress source, int count)
    {
        var pairs = new List<(Socket, Socket)>(count);
        EndPoint target = listener.LocalEndPoint!;
        while (pairs.Count < count)
        {
            int chunk = Math.Min(Chunk, count - pairs.Count);
            var clients = new Socket[chunk];
            for (int k = 0; k < chunk; k++)
            {
                clients[k] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                // Bind the address only; the port is chosen at connect time, per destination.
                clients[k].SetRawSocketOption(Native.SOL_IP, Native.IP_BIND_ADDRESS_NO_PORT, BitConverter.GetBytes(1));
                clients[k].Bind(new IPEndPoint(source, 0));
                clients[k].Connect(target); // completes from the accept queue, before accept()
            }

            foreach (Socket client in clients)
            {
                pairs.Add((client, listener.Accept()));
            }
        }

        return pairs;
    }

    /// <summary>
    /// Leaves <paramref name="count"/> client sockets in TIME_WAIT: the client closes first (FIN_WAIT),
    /// the server reads that FIN as end of stream and closes too; the client then waits out 2*MSL.
    /// </summary>
    private static void MakeTimeWait(Socket listener, IPAddress source, int count)
    {
        List<(Socket Client, Socket Server)> pairs = Connect(listener, source, count);
        foreach ((Socket client, _) in pairs)
        {
            client.Close();
        }

        byte[] buffer = new byte[1];
        foreach ((_, Socket server) in pairs)
        {
            // Close only after the client's FIN arrived: closing both at once could make it a
            // simultaneous close, and then the server end could land in TIME_WAIT or CLOSING instead.
            server.ReceiveTimeout = 5000;
            server.Receive(buffer);
            server.Close();
        }
    }
}
