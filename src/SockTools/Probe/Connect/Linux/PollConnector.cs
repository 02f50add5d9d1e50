using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;
using SockTools.Interop;
using SockTools.Table;

namespace SockTools.Probe.Linux
{
    /// <summary>
    /// The fast path for targets that are IP addresses (no name to resolve, one address to try): a few
    /// threads, one per core, each keeping its share of non-blocking connects in flight and waiting on all
    /// of them with one poll(). No task, event args or thread-pool hop per connect: on a 2-core machine a
    /// thousand loopback refusals take about a quarter of the time the general async path needs.
    /// It takes slots from the same throttle as the general path, so -ThrottleLimit holds for both.
    /// To connect from another network namespace, each worker (a thread of its own, never a pool thread) enters it
    /// once when it starts: every socket it makes then belongs there.
    /// </summary>
    internal sealed unsafe class PollConnector : IBatchConnector
    {
        private const int MaxPollWaitMilliseconds = 20; // also how soon new work or Ctrl+C is noticed

        private readonly TimeSpan _timeout;
        private readonly SemaphoreSlim _slots;
        private readonly CancellationToken _cancel;
        private readonly Action<ProbeTarget, ConnectOutcome> _done;
        private readonly Action<ProbeTarget> _dropped;
        private readonly ConnectOrigin? _origin;
        private readonly ConcurrentQueue<ProbeTarget> _queue = new ConcurrentQueue<ProbeTarget>();
        private readonly SemaphoreSlim _arrived = new SemaphoreSlim(0);
        private readonly List<Thread> _workers = new List<Thread>();
        private volatile bool _disposed;

        /// <param name="timeout">How long each connect may take.</param>
        /// <param name="slots">The throttle shared with the general path.</param>
        /// <param name="cancel">Ctrl+C: close everything in flight.</param>
        /// <param name="done">Called on a worker thread with every answered or timed-out target.</param>
        /// <param name="dropped">Called for targets abandoned because the command is stopping.</param>
        /// <param name="origin">The network namespace to connect from; null for PowerShell's own.</param>
        internal PollConnector(TimeSpan timeout, SemaphoreSlim slots, CancellationToken cancel, Action<ProbeTarget, ConnectOutcome> done, Action<ProbeTarget> dropped, ConnectOrigin? origin = null)
        {
            _timeout = timeout;
            _slots = slots;
            _cancel = cancel;
            _done = done;
            _dropped = dropped;
            _origin = origin;
        }

        /// <summary>Linux on a 64-bit process: the only place this path is built and tested.</summary>
        internal static bool IsSupported => LinuxAbi.IsSupported;

        /// <summary>Queues a target whose <see cref="ProbeTarget.Literal"/> is set; starts the workers on first use.</summary>
        public void Enqueue(ProbeTarget target)
        {
            if (_workers.Count == 0)
            {
                for (int i = 0; i < Math.Max(1, Environment.ProcessorCount); i++)
                {
                    var worker = new Thread(Work) { IsBackground = true, Name = "SockTools connect " + i };
                    _workers.Add(worker);
                    worker.Start();
                }
            }

            _queue.Enqueue(target);
            _arrived.Release();
        }

        public void Dispose()
        {
            _disposed = true;
            _arrived.Release(_workers.Count + 1); // idle workers wake now instead of at their next timeout
            foreach (Thread worker in _workers)
            {
                worker.Join();
            }

            _arrived.Dispose();
        }

        private void Work()
        {
            var flights = new List<Flight>();
            var polls = new PollFd[0];
            byte* address = stackalloc byte[SockAddr.MaxLength];
            bool entered = Enter();
            while (!_disposed && !_cancel.IsCancellationRequested)
            {
                Launch(flights, address, entered);
                if (flights.Count == 0)
                {
                    _arrived.Wait(MaxPollWaitMilliseconds);
                    continue;
                }

                if (polls.Length < flights.Count)
                {
                    polls = new PollFd[flights.Count * 2];
                }

                long now = Stopwatch.GetTimestamp();
                long soonest = long.MaxValue;
                for (int i = 0; i < flights.Count; i++)
                {
                    polls[i] = new PollFd { Fd = flights[i].Fd, Events = Libc.POLLOUT };
                    soonest = Math.Min(soonest, flights[i].Deadline);
                }

                int wait = (int)Math.Max(0, Math.Min(MaxPollWaitMilliseconds, (soonest - now) * 1000 / Stopwatch.Frequency));
                fixed (PollFd* p = polls)
                {
                    Libc.poll(p, (nuint)flights.Count, wait);
                }

                Settle(flights, polls, address);
            }

            // Stopping: close what is still in flight; nothing is reported for it.
            foreach (Flight flight in flights)
            {
                Libc.close(flight.Fd);
                _slots.Release();
                _dropped(flight.Target);
            }

            while (_queue.TryDequeue(out ProbeTarget? left))
            {
                _dropped(left);
            }
        }

        /// <summary>Moves this worker into the origin's namespace; false when that was refused (its targets then fail).</summary>
        private bool Enter()
        {
            try
            {
                _origin?.EnterThisThread();
                return true;
            }
            catch (SocketTableException)
            {
                return false;
            }
        }

        /// <summary>Starts queued targets while throttle slots are free (fails them at once when this worker could not enter their namespace).</summary>
        private void Launch(List<Flight> flights, byte* address, bool entered)
        {
            while (!_queue.IsEmpty && _slots.Wait(flights.Count == 0 ? MaxPollWaitMilliseconds : 0))
            {
                if (!_queue.TryDequeue(out ProbeTarget? target))
                {
                    _slots.Release(); // another worker took it
                    return;
                }

                var endpoint = new IPEndPoint(target.Literal!, target.Port);
                if (!entered)
                {
                    Finish(target, ConnectOutcome.Failed(endpoint.Address, SocketError.AccessDenied, null));
                    continue;
                }

                long started = Stopwatch.GetTimestamp();
                int fd = Libc.socket(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_STREAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
                if (fd < 0)
                {
                    Finish(target, ConnectOutcome.Failed(endpoint.Address, ToSocketError(LastError.Current), null));
                    continue;
                }

                int length = SockAddr.Write(endpoint, address);
                if (Libc.connect(fd, address, length) == 0 || LastError.Current == Errno.EINPROGRESS)
                {
                    flights.Add(new Flight(target, endpoint, fd, started, started + (long)(_timeout.TotalSeconds * Stopwatch.Frequency)));
                    continue;
                }

                Errno error = LastError.Current;
                Libc.close(fd);
                Finish(target, ConnectOutcome.Failed(endpoint.Address, ToSocketError(error), Milliseconds(started)));
            }
        }

        /// <summary>Reports every connect that was answered or ran out of time, and closes its socket.</summary>
        private void Settle(List<Flight> flights, PollFd[] polls, byte* address)
        {
            long now = Stopwatch.GetTimestamp();
            int kept = 0;
            for (int i = 0; i < flights.Count; i++)
            {
                Flight flight = flights[i];
                ConnectOutcome? outcome = null;
                if (polls[i].ReturnedEvents != 0)
                {
                    outcome = Answer(flight, address);
                }
                else if (now >= flight.Deadline)
                {
                    outcome = ConnectOutcome.Stopped(flight.Endpoint.Address); // reported as TimedOut, like the general path
                }

                if (outcome is null)
                {
                    flights[kept++] = flight;
                    continue;
                }

                Libc.close(flight.Fd);
                Finish(flight.Target, outcome);
            }

            flights.RemoveRange(kept, flights.Count - kept);
        }

        private static ConnectOutcome Answer(Flight flight, byte* address)
        {
            double latency = Milliseconds(flight.Started);
            int error = 0;
            int size = sizeof(int);
            if (Libc.getsockopt(flight.Fd, Libc.SOL_SOCKET, Libc.SO_ERROR, &error, &size) < 0)
            {
                error = (int)LastError.Current;
            }

            if (error != 0)
            {
                return ConnectOutcome.Failed(flight.Endpoint.Address, ToSocketError((Errno)error), latency);
            }

            int length = SockAddr.MaxLength;
            IPEndPoint? local = Libc.getsockname(flight.Fd, address, &length) == 0 ? SockAddr.Read(address, length) : null;
            return local != null && local.Port == flight.Endpoint.Port && local.Address.Equals(flight.Endpoint.Address)
                ? ConnectOutcome.ConnectedToItself(flight.Endpoint.Address, latency)
                : ConnectOutcome.Connected(flight.Endpoint.Address, latency, local);
        }

        private void Finish(ProbeTarget target, ConnectOutcome outcome)
        {
            _slots.Release();
            _done(target, outcome);
        }

        /// <summary>Linux errno to the SocketError the general path would have seen.</summary>
        private static SocketError ToSocketError(Errno errno) => errno switch
        {
            Errno.ECONNREFUSED => SocketError.ConnectionRefused,
            Errno.ETIMEDOUT => SocketError.TimedOut,
            Errno.ENETUNREACH => SocketError.NetworkUnreachable,
            Errno.EHOSTUNREACH => SocketError.HostUnreachable,
            Errno.ENETDOWN => SocketError.NetworkDown,
            Errno.EHOSTDOWN => SocketError.HostDown,
            Errno.EADDRNOTAVAIL => SocketError.AddressNotAvailable,
            Errno.EAFNOSUPPORT => SocketError.AddressFamilyNotSupported,
            Errno.EACCES or Errno.EPERM => SocketError.AccessDenied,
            Errno.ECONNRESET => SocketError.ConnectionReset,
            Errno.EMFILE or Errno.ENFILE => SocketError.TooManyOpenSockets,
            _ => SocketError.SocketError,
        };

        private static double Milliseconds(long started)
            => Math.Round((Stopwatch.GetTimestamp() - started) * 1000.0 / Stopwatch.Frequency, 3);

        private readonly struct Flight
        {
            internal Flight(ProbeTarget target, IPEndPoint endpoint, int fd, long started, long deadline)
            {
                Target = target;
                Endpoint = endpoint;
                Fd = fd;
                Started = started;
                Deadline = deadline;
            }

            internal ProbeTarget Target { get; }

            internal IPEndPoint Endpoint { get; }

            internal int Fd { get; }

            internal long Started { get; }

            internal long Deadline { get; }
        }
    }
}
