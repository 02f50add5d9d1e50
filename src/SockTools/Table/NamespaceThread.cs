using System;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace SockTools.Table
{
    /// <summary>
    /// A thread of SockTools' own that does work inside other network namespaces: it enters the namespace a piece
    /// of work names (staying there until the next one names another), runs it, and hands back the result. The
    /// kernel gives a thread's namespace to every socket the thread creates (netlink, TCP) and shows that thread
    /// its namespace's /proc/thread-self/net; a socket keeps its namespace wherever it is used later. The pipeline
    /// thread and the pool threads therefore never leave the namespace PowerShell runs in: only this thread moves,
    /// and it ends when it is disposed. Work for PowerShell's own namespace runs on the caller's thread.
    /// </summary>
    internal sealed class NamespaceThread : IDisposable
    {
        private static readonly TimeSpan WindDown = TimeSpan.FromSeconds(5);

        private readonly BlockingCollection<Action> _work = new BlockingCollection<Action>();
        private readonly object _gate = new object();
        private Thread? _thread;
        private NetworkNamespace? _inside; // only the thread itself reads and writes it
        private bool _disposed;

        /// <summary>Runs <paramref name="work"/> inside <paramref name="where"/> and returns its result; its exception is rethrown here.</summary>
        /// <exception cref="Exception">Whatever entering the namespace or the work threw.</exception>
        internal T Run<T>(NetworkNamespace where, Func<T> work)
        {
            if (where.IsOwn)
            {
                return work();
            }

            if (Thread.CurrentThread == _thread)
            {
                Enter(where);
                return work();
            }

            T result = default!;
            ExceptionDispatchInfo? failure = null;
            using (var done = new ManualResetEventSlim())
            {
                Post(() =>
                {
                    try
                    {
                        Enter(where);
                        result = work();
                    }
                    catch (Exception e)
                    {
                        failure = ExceptionDispatchInfo.Capture(e);
                    }
                    finally
                    {
                        done.Set();
                    }
                });
                done.Wait();
            }

            failure?.Throw();
            return result;
        }

        /// <summary>Runs <paramref name="work"/> inside <paramref name="where"/>.</summary>
        internal void Run(NetworkNamespace where, Action work) => Run(where, () =>
        {
            work();
            return true;
        });

        /// <summary>Ends the thread (once the work queued before has run); its namespace goes with it.</summary>
        public void Dispose()
        {
            Thread? thread;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                thread = _thread;
                _work.CompleteAdding();
            }

            thread?.Join(WindDown);
        }

        private void Post(Action item)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    throw new ObjectDisposedException(nameof(NamespaceThread));
                }

                if (_thread is null)
                {
                    // A background thread: should PowerShell exit while it waits for work, it does not hold the process.
                    _thread = new Thread(Serve) { IsBackground = true, Name = "SockTools network namespace" };
                    _thread.Start();
                }

                _work.Add(item);
            }
        }

        private void Serve()
        {
            foreach (Action item in _work.GetConsumingEnumerable())
            {
                item();
            }
        }

        /// <summary>Moves this thread into the namespace unless it is there already; it stays where it was when that fails.</summary>
        private void Enter(NetworkNamespace where)
        {
            if (!ReferenceEquals(_inside, where))
            {
                where.EnterThisThread();
                _inside = where;
            }
        }
    }
}
