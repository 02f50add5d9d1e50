using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace SockTools.Probe
{
    /// <summary>
    /// Puts what finishes out of order back into the order it came in. Each piece of work is admitted
    /// under a key when it starts and completed with its output when it finishes; output is released
    /// only once everything admitted before it has been released. Targets still run in parallel:
    /// only their output waits. Used from one thread (the pipeline's).
    /// </summary>
    internal sealed class InputOrder<T>
        where T : class
    {
        private readonly Queue<object> _admitted = new Queue<object>();
        private readonly Dictionary<object, T> _completed = new Dictionary<object, T>(ByReference.Instance);

        /// <summary>Admitted and not released yet: running, or finished and held behind an earlier one.</summary>
        internal int Unreleased => _admitted.Count;

        /// <summary>Finished but held behind an earlier one still running.</summary>
        internal int Held => _completed.Count;

        internal void Admit(object key) => _admitted.Enqueue(key);

        /// <summary>The output of an admitted key; released by <see cref="TakeReady"/> in admission order.</summary>
        internal void Complete(object key, T output) => _completed[key] = output;

        /// <summary>Everything whose turn has come, oldest first.</summary>
        internal List<T> TakeReady()
        {
            var ready = new List<T>();
            while (_admitted.Count > 0 && _completed.TryGetValue(_admitted.Peek(), out T? output))
            {
                _completed.Remove(_admitted.Dequeue());
                ready.Add(output);
            }

            return ready;
        }

        /// <summary>At the end: whatever completed, in admission order, passing over keys that never will.</summary>
        internal List<T> TakeAll()
        {
            var all = new List<T>();
            while (_admitted.Count > 0)
            {
                object key = _admitted.Dequeue();
                if (_completed.TryGetValue(key, out T? output))
                {
                    _completed.Remove(key);
                    all.Add(output);
                }
            }

            return all;
        }

        /// <summary>Keys are the objects themselves (targets, error records), never their values.</summary>
        private sealed class ByReference : IEqualityComparer<object>
        {
            internal static readonly ByReference Instance = new ByReference();

            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

            public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
        }
    }
}
