using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using SockTools.Interop;
using SockTools.Interop.MacOS;
using SockTools.Interop.Windows;

namespace SockTools.Table
{
    /// <summary>
    /// The one failure the socket-table reader lets out: whatever went wrong underneath (a libc call, a netlink
    /// answer, a /proc file, a platform without a reader), with what the cmdlet needs to make a good error
    /// record of it. Raised while rows are read and while entries are enumerated alike (<see cref="Guard"/>).
    /// </summary>
    internal sealed class SocketTableException : Exception
    {
        internal SocketTableException(string errorId, ErrorCategory category, string message, string recommendedAction, Exception? inner = null, object? target = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
            RecommendedAction = recommendedAction;
            Target = target;
        }

        /// <summary>
        /// The value the error is about, as the user gave it: a protocol this OS cannot read, a network namespace's name
        /// or path; null when none.
        /// </summary>
        internal object? Target { get; }

        /// <summary>The id after "SockTools.": SocketTableReadFailed, SocketCloseFailed, PlatformNotSupported, ProtocolNotSupported.</summary>
        internal string ErrorId { get; }

        internal ErrorCategory Category { get; }

        internal string RecommendedAction { get; }

        /// <summary>What to try when a Linux read fails.</summary>
        internal const string LinuxReadAdvice = "Check that /proc is mounted and readable; run with -Verbose to see which reader failed, and set SOCKTOOLS_READER=netlink or proc to try one reader alone.";

        /// <summary>A failure of the reader, in words that say what to try (<paramref name="advice"/>: the OS's own; Linux's by default).</summary>
        internal static SocketTableException ReadFailed(Exception e, string? advice = null) => new SocketTableException(
            "SocketTableReadFailed",
            IsPermissionDenied(e) ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError,
            "The socket table could not be read: " + e.Message,
            advice ?? LinuxReadAdvice,
            e);

        /// <summary>A failed read of one network namespace's table, naming it (the target).</summary>
        internal static SocketTableException ReadFailedIn(NamespaceTag where, Exception e, string? advice = null) => new SocketTableException(
            "SocketTableReadFailed",
            IsPermissionDenied(e) ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError,
            $"The socket table of network namespace {where.Label} could not be read: " + e.Message,
            advice ?? LinuxReadAdvice,
            e,
            where.Label);

        /// <summary>A failure to ask the OS to close sockets at all (not the refusal of one socket, which is an outcome).</summary>
        internal static SocketTableException CloseFailed(Exception e) => new SocketTableException(
            "SocketCloseFailed",
            (e as NativeCallException)?.Errno is Errno.EACCES or Errno.EPERM ? ErrorCategory.PermissionDenied : ErrorCategory.ResourceUnavailable,
            "Sockets could not be closed: " + e.Message,
            "Check that this process may open netlink sockets (a sandbox or seccomp profile can forbid them); ss -K needs the same.",
            e);

        /// <summary>True for the exceptions a reader raises when the system refuses or garbles what it asked for.</summary>
        internal static bool IsReaderFailure(Exception e)
            => e is NativeCallException || e is NetlinkErrorException || e is SocketTableFormatException
               || e is WindowsCallException || e is MacCallException
               || e is IOException || e is UnauthorizedAccessException || e is DllNotFoundException || e is EntryPointNotFoundException;

        private static bool IsPermissionDenied(Exception e)
            => e is UnauthorizedAccessException
               || (e as NativeCallException)?.Errno is Errno.EACCES or Errno.EPERM
               || (e as WindowsCallException)?.Error == (int)Win32Error.ERROR_ACCESS_DENIED
               || (e as MacCallException)?.IsPermissionDenied == true;

        /// <summary>
        /// The entries, with any reader failure raised while enumerating them (the owner scan runs lazily)
        /// turned into a <see cref="SocketTableException"/> like the failures of the read itself.
        /// </summary>
        internal static IEnumerable<SocketEntry> Guard(IEnumerable<SocketEntry> entries, string? advice = null) => new Guarded(entries, advice);

        private sealed class Guarded : IEnumerable<SocketEntry>
        {
            private readonly IEnumerable<SocketEntry> _inner;
            private readonly string? _advice;

            internal Guarded(IEnumerable<SocketEntry> inner, string? advice)
            {
                _inner = inner;
                _advice = advice;
            }

            public IEnumerator<SocketEntry> GetEnumerator()
            {
                IEnumerator<SocketEntry> inner;
                try
                {
                    inner = _inner.GetEnumerator();
                }
                catch (Exception e) when (IsReaderFailure(e))
                {
                    throw ReadFailed(e, _advice);
                }

                return new GuardedEnumerator(inner, _advice);
            }

            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }

        private sealed class GuardedEnumerator : IEnumerator<SocketEntry>
        {
            private readonly IEnumerator<SocketEntry> _inner;
            private readonly string? _advice;

            internal GuardedEnumerator(IEnumerator<SocketEntry> inner, string? advice)
            {
                _inner = inner;
                _advice = advice;
            }

            public SocketEntry Current => _inner.Current;

            object IEnumerator.Current => _inner.Current;

            public bool MoveNext()
            {
                try
                {
                    return _inner.MoveNext();
                }
                catch (Exception e) when (IsReaderFailure(e))
                {
                    throw ReadFailed(e, _advice);
                }
            }

            public void Reset() => _inner.Reset();

            public void Dispose() => _inner.Dispose();
        }
    }
}
