namespace SockTools.Table
{
    /// <summary>
    /// The owner cards of one read. Remembers only the last card: the Linux reader hands out a process's sockets
    /// together (owners are found per process, in pid order), so one comparison finds the card almost every time
    /// and nothing is hashed per socket. Where a table lists sockets in another order (Windows sorts by address),
    /// a miss costs one small object, never a wrong value: names compare by reference, as the name caches hand
    /// each out once.
    /// </summary>
    internal sealed class OwnerCardCache
    {
        private OwnerCard? _last;

        internal OwnerCard Of(int processId, string? processName, uint userId, string? userName, int namespaceNumber)
        {
            OwnerCard? card = _last;
            if (card is null || !card.Is(processId, processName, userId, userName, namespaceNumber))
            {
                card = new OwnerCard(processId, processName, userId, userName, namespaceNumber);
                _last = card;
            }

            return card;
        }
    }
}
