using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using SockTools.Table;

namespace SockTools.Probe
{
    /// <summary>
    /// One TCP connect to one address, stopped when <c>abort</c> fires. netstandard2.0 has no
    /// cancellable connect, so stopping means disposing the socket, which completes the pending
    /// operation as aborted. The socket is closed on every path before the task ends, and the
    /// task never faults: every failure is an outcome.
    /// </summary>
    internal static class ConnectAttempt
    {
        /// <param name="endpoint">Where to connect.</param>
        /// <param name="abort">Stops the attempt.</param>
        /// <param name="origin">The network namespace to connect from; null for PowerShell's own.</param>
        internal static async Task<ConnectOutcome> RunAsync(IPEndPoint endpoint, CancellationToken abort, ConnectOrigin? origin = null)
        {
            if (abort.IsCancellationRequested)
            {
                return ConnectOutcome.Stopped(endpoint.Address);
            }

            Socket socket;
            try
            {
                socket = origin?.NewSocket(endpoint.AddressFamily) ?? new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (SocketException e)
            {
                // For example an IPv6 address on a host without IPv6.
                return ConnectOutcome.Failed(endpoint.Address, e.SocketErrorCode, null);
            }
            catch (SocketTableException)
            {
                // The namespace, entered when it was opened, refused to be entered again: nothing was sent.
                return ConnectOutcome.Failed(endpoint.Address, SocketError.AccessDenied, null);
            }
            catch (ObjectDisposedException)
            {
                return ConnectOutcome.Stopped(endpoint.Address); // the command is ending
            }

            var args = new SocketAsyncEventArgs { RemoteEndPoint = endpoint };
            var answered = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
            args.Completed += (_, e) => answered.TrySetResult(e.SocketError);
            long started = Stopwatch.GetTimestamp();
            try
            {
                Begin(socket, args, answered);
                SocketError error;
                using (abort.Register(() => socket.Dispose()))
                {
                    // Completes in every case: with the answer, or as aborted once the socket is disposed.
                    error = await answered.Task.ConfigureAwait(false);
                }

                double latency = ElapsedMilliseconds(started);
                if (abort.IsCancellationRequested)
                {
                    // Whatever arrived, this attempt no longer counts (and its socket may be gone).
                    return ConnectOutcome.Stopped(endpoint.Address);
                }

                if (error != SocketError.Success)
                {
                    return ConnectOutcome.Failed(endpoint.Address, error, latency);
                }

                IPEndPoint? local = socket.LocalEndPoint as IPEndPoint;
                return local != null && local.Equals(socket.RemoteEndPoint)
                    ? ConnectOutcome.ConnectedToItself(endpoint.Address, latency)
                    : ConnectOutcome.Connected(endpoint.Address, latency, local);
            }
            catch (ObjectDisposedException)
            {
                return ConnectOutcome.Stopped(endpoint.Address);
            }
            catch (SocketException e)
            {
                return ConnectOutcome.Failed(endpoint.Address, e.SocketErrorCode, ElapsedMilliseconds(started));
            }
            finally
            {
                // Dispose only after the operation completed: args may not be disposed while in use.
                socket.Dispose();
                if (answered.Task.IsCompleted)
                {
                    args.Dispose();
                }
            }
        }

        private static void Begin(Socket socket, SocketAsyncEventArgs args, TaskCompletionSource<SocketError> answered)
        {
            try
            {
                if (!socket.ConnectAsync(args))
                {
                    answered.TrySetResult(args.SocketError);
                }
            }
            catch (SocketException e)
            {
                answered.TrySetResult(e.SocketErrorCode);
            }
            catch (ObjectDisposedException)
            {
                answered.TrySetResult(SocketError.OperationAborted);
            }
        }

        private static double ElapsedMilliseconds(long started)
            => Math.Round((Stopwatch.GetTimestamp() - started) * 1000.0 / Stopwatch.Frequency, 3);
    }
}
