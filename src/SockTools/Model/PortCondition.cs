namespace SockTools
{
    /// <summary>What Test-SockPort -Wait waits for (the -Until parameter).</summary>
    public enum PortCondition
    {
        /// <summary>Until the port accepts connections (a service starting).</summary>
        Open,
        /// <summary>Until the port no longer accepts connections: any status but Open (a service shutting down).</summary>
        Closed,
    }
}
