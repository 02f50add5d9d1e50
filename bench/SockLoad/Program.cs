// SockLoad entry point: the master re-executes itself as P children (Master.cs); each child opens
// its share of the sockets (Child.cs). With --churn, one process opens and closes connections instead (ChurnLoad.cs).
try
{
    Options options = Options.Parse(args);
    if (options.Churn > 0)
    {
        return ChurnLoad.Run(options);
    }

    return options.Child > 0 ? Child.Run(options) : Master.Run(options);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (Exception e)
{
    Console.Error.WriteLine($"SockLoad[{Environment.ProcessId}]: {e.GetType().Name}: {e.Message}");
    return 1;
}
