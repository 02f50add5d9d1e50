// Churn mode: one connection, both of its ends, and when each of them opened and closed.
using System.Net;
using System.Net.Sockets;

internal sealed class ChurnConnection
{
    public ChurnConnection(long id, ChurnPlanEntry plan, int tupleIndex, Socket client, Socket server, ChurnLog.Stamp opened)
    {
        Id = id;
        Plan = plan;
        Close = plan.Close;
        TupleIndex = tupleIndex;
        ClientSocket = client;
        ServerSocket = server;
        Client = (IPEndPoint)client.LocalEndPoint!;
        Server = (IPEndPoint)server.LocalEndPoint!;
        Opened = opened;
    }

    public long Id { get; }

    public ChurnPlanEntry Plan { get; }

    /// <summary>How it actually closes: the plan's kind, or EndRst when the load ended before its lifetime did.</summary>
    public CloseKind Close { get; set; }

    public int TupleIndex { get; }

    public Socket ClientSocket { get; }

    public Socket ServerSocket { get; }

    /// <summary>The client end as the table shows it: local = this, remote = <see cref="Server"/>.</summary>
    public IPEndPoint Client { get; }

    /// <summary>The server end (the listener's address and port): local = this, remote = <see cref="Client"/>.</summary>
    public IPEndPoint Server { get; }

    /// <summary>After accept() returned: both ends exist and are established.</summary>
    public ChurnLog.Stamp Opened { get; }

    /// <summary>Just before close() of the client end.</summary>
    public ChurnLog.Stamp ClientClosed { get; set; }

    /// <summary>Just before close() of the server end.</summary>
    public ChurnLog.Stamp ServerClosed { get; set; }

    /// <summary>Which end waits out TIME_WAIT after its close: client, server or none.</summary>
    public string TimeWaitSide => Close switch
    {
        CloseKind.ClientFin => "client",
        CloseKind.ServerFin => "server",
        _ => "none",
    };

    /// <summary>How many times the second close found the peer's FIN not yet arrived.</summary>
    public int DrainTries { get; set; }
}
