using System;
using System.Collections.Generic;

namespace SockTools.Query
{
    /// <summary>Expands -State values (states and groups) into the set of states they name.</summary>
    internal static class StateSelection
    {
        private static readonly SocketState[] ConnectedStates =
        {
            SocketState.SynSent, SocketState.SynReceived, SocketState.Established, SocketState.FinWait1,
            SocketState.FinWait2, SocketState.CloseWait, SocketState.Closing, SocketState.LastAck, SocketState.TimeWait,
        };

        internal static HashSet<SocketState> Expand(IEnumerable<SocketStateFilter> filters)
        {
            var states = new HashSet<SocketState>();
            var named = new List<SocketState>();
            foreach (SocketStateFilter filter in filters)
            {
                switch (filter)
                {
                    case SocketStateFilter.All:
                        foreach (SocketState s in (SocketState[])Enum.GetValues(typeof(SocketState)))
                        {
                            states.Add(s);
                        }

                        break;
                    case SocketStateFilter.Connected:
                        states.UnionWith(ConnectedStates);
                        break;
                    case SocketStateFilter.Synchronized:
                        states.UnionWith(ConnectedStates);
                        states.Remove(SocketState.SynSent);
                        break;
                    default:
                        // The first twelve filter values mirror SocketState one to one.
                        named.Add((SocketState)(int)filter);
                        break;
                }
            }

            // A state named on its own is always in, whatever a group beside it leaves out
            // (-State SynSent, Synchronized keeps SynSent).
            states.UnionWith(named);
            return states;
        }
    }
}
