// Churn mode: one thread opens a connection every 1/rate seconds and closes each one when its planned
// lifetime is over. One thread keeps it simple and exact: the listener's accept queue holds only the
// connection just made, and every close happens at its scheduled time, in order.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

internal sealed class ChurnLoop
{
    // The peer of a FIN close is closed once that FIN arrived (else both would close at once and both
    // land in TIME_WAIT); on loopback it is there within a millisecond or two.
    private static readonly long DrainDelay = Stopwatch.Frequency / 500;
    private const int MaxDrainTries = 400;

    private readonly Socket[] _listeners;
    private readonly ChurnLog _log;
    private readonly ChurnPlan _plan;
    private readonly ChurnTuples _tuples = new();
    private readonly int _rate;
    private readonly PriorityQueue<(ChurnConnection Connection, bool Second), long> _due = new();
    private readonly HashSet<ChurnConnection> _open = new(); // not closed by either end yet

    public ChurnLoop(Socket[] listeners, ChurnLog log, int rate, int seed)
    {
        _listeners = listeners;
        _log = log;
        _rate = rate;
        _plan = new ChurnPlan(seed);
    }

    /// <summary>Connections made.</summary>
    public long Made { get; private set; }

    /// <summary>Connections that could not be made or closed as planned (each also said on stderr).</summary>
    public long Errors { get; private set; }

    /// <summary>Opens that came more than a second late (machine stalled) and were dropped instead of bursting.</summary>
    public long Skipped { get; private set; }

    public void Run(TimeSpan duration)
    {
        long start = Stopwatch.GetTimestamp();
        long end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        double period = (double)Stopwatch.Frequency / _rate;
        double nextOpen = start;
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                break;
            }

            // After a stall (a busy machine), keep the rate instead of catching up with a burst.
            if (now - nextOpen > Stopwatch.Frequency)
            {
                long behind = (long)((now - nextOpen) / period);
                Skipped += behind;
                nextOpen += behind * period;
            }

            while (nextOpen <= now)
            {
                Open();
                nextOpen += period;
            }

            RunDue(Stopwatch.GetTimestamp());
            SleepUntil(Math.Min((long)nextOpen, Math.Min(NextDue(), end)));
        }

        // The end: reset whatever is still open, then finish the second closes still pending. The planned
        // first closes of the reset ones are dropped from the queue, or it would wait for them.
        foreach (ChurnConnection c in _open.ToList())
        {
            c.Close = CloseKind.EndRst;
            FirstClose(c);
        }

        var pending = _due.UnorderedItems.Where(item => item.Element.Second).ToList();
        _due.Clear();
        foreach (var (element, priority) in pending)
        {
            _due.Enqueue(element, priority);
        }

        long giveUp = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < giveUp)
        {
            RunDue(Stopwatch.GetTimestamp());
            if (_due.Count == 0)
            {
                break;
            }

            SleepUntil(Math.Min(NextDue(), giveUp));
        }
    }

    private long NextDue() => _due.TryPeek(out _, out long at) ? at : long.MaxValue;

    private static void SleepUntil(long target)
    {
        long wait = target - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            Thread.Sleep(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
        }
    }

    private void RunDue(long now)
    {
        while (_due.TryPeek(out (ChurnConnection Connection, bool Second) step, out long at) && at <= now)
        {
            _due.Dequeue();
            if (step.Second)
            {
                SecondClose(step.Connection);
            }
            else
            {
                FirstClose(step.Connection);
            }
        }
    }

    private void Open()
    {
        int index = _tuples.Take(Stopwatch.GetTimestamp());
        if (index < 0)
        {
            Error("every client end is busy or cooling down; skipped one connection");
            return;
        }

        ChurnPlanEntry plan = _plan.Next();
        Socket listener = _listeners[Made % _listeners.Length];
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            client.Bind(_tuples.EndPoint(index));
        }
        catch (SocketException e)
        {
            // Something else holds this address and port: never try it again.
            _tuples.Retire(index);
            client.Dispose();
            Error($"bind {_tuples.EndPoint(index)}: {e.Message}; that client end is retired");
            return;
        }

        try
        {
            client.Connect(listener.LocalEndPoint!); // on loopback the handshake completes inside connect()
            Socket server = listener.Accept();        // so the accept queue holds exactly this connection
            if (!server.RemoteEndPoint!.Equals(client.LocalEndPoint))
            {
                throw new InvalidOperationException($"accepted {server.RemoteEndPoint} while {client.LocalEndPoint} connected");
            }

            var c = new ChurnConnection(++Made, plan, index, client, server, ChurnLog.Stamp.Now());
            _open.Add(c);
            _due.Enqueue((c, false), c.Opened.Ticks + (long)(plan.LifetimeSeconds * Stopwatch.Frequency));
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            client.Dispose();
            _tuples.Release(index, Stopwatch.GetTimestamp());
            Error($"connect from {_tuples.EndPoint(index)}: {e.Message}");
        }
    }

    private void FirstClose(ChurnConnection c)
    {
        if (!_open.Remove(c))
        {
            return; // already reset by the end of the load; this was its planned close, still queued
        }

        bool clientFirst = c.Close is CloseKind.ClientFin or CloseKind.ClientRst or CloseKind.EndRst;
        Socket first = clientFirst ? c.ClientSocket : c.ServerSocket;
        if (c.Close is CloseKind.ClientRst or CloseKind.ServerRst or CloseKind.EndRst)
        {
            first.LingerState = new LingerOption(true, 0); // close() sends RST: no FIN, no TIME_WAIT
        }

        ChurnLog.Stamp now = ChurnLog.Stamp.Now();
        if (clientFirst)
        {
            c.ClientClosed = now;
        }
        else
        {
            c.ServerClosed = now;
        }

        first.Close();
        _due.Enqueue((c, true), now.Ticks + DrainDelay);
    }

    private void SecondClose(ChurnConnection c)
    {
        bool clientFirst = c.Close is CloseKind.ClientFin or CloseKind.ClientRst or CloseKind.EndRst;
        Socket second = clientFirst ? c.ServerSocket : c.ClientSocket;
        if (c.Close is CloseKind.ClientFin or CloseKind.ServerFin)
        {
            // Wait for the peer's FIN (end of stream) before closing, so this end goes through
            // CLOSE_WAIT -> LAST_ACK and only the peer keeps TIME_WAIT.
            if (!second.Poll(0, SelectMode.SelectRead) && ++c.DrainTries < MaxDrainTries)
            {
                _due.Enqueue((c, true), Stopwatch.GetTimestamp() + DrainDelay);
                return;
            }

            try
            {
                if (second.Receive(new byte[1]) != 0)
                {
                    Error($"connection {c.Id}: data where end of stream was expected");
                }
            }
            catch (SocketException e)
            {
                Error($"connection {c.Id}: {e.Message} while waiting for the peer's FIN");
            }
        }

        ChurnLog.Stamp now = ChurnLog.Stamp.Now();
        if (clientFirst)
        {
            c.ServerClosed = now;
        }
        else
        {
            c.ClientClosed = now;
        }

        second.Close(); // after a reset this only frees the fd: the kernel already dropped the socket
        _log.Write(c);

        // TIME_WAIT lasts 60 s on Linux (TCP_TIMEWAIT_LEN), a little more with timer slack.
        long ended = now.Ticks + (c.TimeWaitSide == "none" ? 0 : 61 * Stopwatch.Frequency);
        _tuples.Release(c.TupleIndex, ended);
    }

    private void Error(string message)
    {
        Errors++;
        if (Errors <= 20)
        {
            Console.Error.WriteLine($"SockLoad churn: {message}");
        }
    }
}
