namespace SockTools
{
    /// <summary>The text ConvertTo-SockGraph writes.</summary>
    public enum GraphFormat : long
    {
        /// <summary>A Mermaid flowchart in a ```mermaid fence: GitHub and most markdown editors draw it.</summary>
        Mermaid,
        /// <summary>Graphviz DOT: dot -Tsvg draws it.</summary>
        Dot,
    }

    /// <summary>What one process node of ConvertTo-SockGraph stands for.</summary>
    public enum GraphNodeGrouping : long
    {
        /// <summary>One node per process.</summary>
        ProcessId,
        /// <summary>One node per process name: every nginx worker in one node.</summary>
        ProcessName,
    }
}
