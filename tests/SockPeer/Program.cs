// SockPeer: holds sockets on command. Each stdin line is one command; each answer is one line,
// "ok ..." or "error <message>". Commands:
//   listen <address> <port> [backlog]  -> ok <id> <port>        TCP listener
//   listenshared <address> <port>      -> ok <id> <port>        TCP listener with SO_REUSEPORT (several can share a port)
//   dualstack <port> [backlog]         -> ok <id> <port>        TCP listener on [::] that takes IPv4 too (IPV6_V6ONLY off)
//   bind <address> <port>              -> ok <id> <port>        TCP socket bound, neither listening nor connected
//   udp <address> <port>               -> ok <id> <port>        bound, unconnected UDP socket
//   udpconnect <address> <port>        -> ok <id> <localport>   UDP socket connected to a peer
//   connect <address> <port>           -> ok <id> <localport>   TCP client connection
//   accept <listener-id>               -> ok <id> <remoteport>  accept one pending connection
//   send <id> <bytes>                  -> ok                    send that many bytes on a connected socket
//   read <id> [milliseconds]           -> ok <bytes>|eof|<error> one receive (default 5000 ms): bytes read, the peer's
//                                                               FIN, or how it failed (ConnectionAborted, ConnectionReset,
//                                                               TimedOut, ...), so a test sees what the owner saw
//   close <id>                         -> ok                    close one socket
//   load <address> <count>             -> ok <port>             a listener plus <count> accepted client pairs
//   rcvbuf <id> <bytes>                -> ok <bytes>            set SO_RCVBUF (the kernel keeps twice the value)
//   unixlisten <name> [stream|seqpacket] -> ok <id> <inode>     UNIX listener; a name @x is the abstract name x
//   unixconnect <name> [stream|seqpacket] -> ok <id> <inode>    UNIX client connection
//   unixaccept <listener-id>           -> ok <id> <inode>       accept one pending UNIX connection
//   unixdgram <name>                   -> ok <id> <inode>       bound, unconnected UNIX datagram socket
//   unixdgramconnect <name>            -> ok <id> <inode>       unnamed UNIX datagram socket connected to <name>
//   socketpair                         -> ok <id1> <id2> <inode1> <inode2>  an unnamed connected UNIX stream pair
//   exit                               -> (process ends)
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

var sockets = new Dictionary<int, Socket>();
int nextId = 1;
Console.Out.WriteLine("ready " + Environment.ProcessId);
Console.Out.Flush();

string? line;
while ((line = Console.In.ReadLine()) != null)
{
    string[] word = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (word.Length == 0) continue;
    try
    {
        string answer = word[0] switch
        {
            "listen" => Listen(IPAddress.Parse(word[1]), int.Parse(word[2]), word.Length > 3 ? int.Parse(word[3]) : 128),
            "listenshared" => ListenShared(IPAddress.Parse(word[1]), int.Parse(word[2])),
            "dualstack" => DualStack(int.Parse(word[1]), word.Length > 2 ? int.Parse(word[2]) : 128),
            "bind" => Bind(IPAddress.Parse(word[1]), int.Parse(word[2])),
            "udp" => Udp(IPAddress.Parse(word[1]), int.Parse(word[2])),
            "udpconnect" => UdpConnect(IPAddress.Parse(word[1]), int.Parse(word[2])),
            "connect" => Connect(IPAddress.Parse(word[1]), int.Parse(word[2])),
            "accept" => Accept(int.Parse(word[1])),
            "send" => Send(int.Parse(word[1]), int.Parse(word[2])),
            "read" => Read(int.Parse(word[1]), word.Length > 2 ? int.Parse(word[2]) : 5000),
            "close" => Close(int.Parse(word[1])),
            "load" => Load(IPAddress.Parse(word[1]), int.Parse(word[2])),
            "rcvbuf" => ReceiveBuffer(int.Parse(word[1]), int.Parse(word[2])),
            "unixlisten" => UnixListen(word[1], UnixType(word, 2)),
            "unixconnect" => UnixConnect(word[1], UnixType(word, 2)),
            "unixaccept" => UnixAccept(int.Parse(word[1])),
            "unixdgram" => UnixDatagram(word[1]),
            "unixdgramconnect" => UnixDatagramConnect(word[1]),
            "socketpair" => SocketPair(),
            "exit" => Exit(),
            _ => throw new ArgumentException("unknown command " + word[0]),
        };
        Console.Out.WriteLine(answer);
    }
    catch (Exception e)
    {
        Console.Out.WriteLine("error " + e.Message.Replace('\n', ' '));
    }

    Console.Out.Flush();
}

string Exit() { Environment.Exit(0); return ""; }

string Add(Socket s, int number) { int id = nextId++; sockets[id] = s; return $"ok {id} {number}"; }

int PortOf(EndPoint? e) => ((IPEndPoint)e!).Port;

string Listen(IPAddress address, int port, int backlog)
{
    var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    if (address.AddressFamily == AddressFamily.InterNetworkV6) s.DualMode = false;
    s.Bind(new IPEndPoint(address, port));
    s.Listen(backlog);
    return Add(s, PortOf(s.LocalEndPoint));
}

string ListenShared(IPAddress address, int port)
{
    var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    s.SetRawSocketOption(1, 15, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_REUSEPORT (Linux numbers)
    s.Bind(new IPEndPoint(address, port));
    s.Listen(128);
    return Add(s, PortOf(s.LocalEndPoint));
}

string DualStack(int port, int backlog)
{
    var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
    s.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
    s.Listen(backlog);
    return Add(s, PortOf(s.LocalEndPoint));
}

string Bind(IPAddress address, int port)
{
    var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    s.Bind(new IPEndPoint(address, port));
    return Add(s, PortOf(s.LocalEndPoint));
}

string Udp(IPAddress address, int port)
{
    var s = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
    s.Bind(new IPEndPoint(address, port));
    return Add(s, PortOf(s.LocalEndPoint));
}

string UdpConnect(IPAddress address, int port)
{
    var s = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
    s.Connect(new IPEndPoint(address, port));
    return Add(s, PortOf(s.LocalEndPoint));
}

string Connect(IPAddress address, int port)
{
    var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    try
    {
        s.Connect(new IPEndPoint(address, port));
    }
    catch
    {
        s.Dispose(); // a failed connect must not leave its socket behind for the garbage collector
        throw;
    }

    return Add(s, PortOf(s.LocalEndPoint));
}

string Accept(int listenerId)
{
    Socket accepted = sockets[listenerId].Accept();
    return Add(accepted, PortOf(accepted.RemoteEndPoint));
}

string Send(int id, int bytes)
{
    sockets[id].Send(new byte[bytes]);
    return "ok";
}

string Read(int id, int milliseconds)
{
    Socket s = sockets[id];
    s.ReceiveTimeout = milliseconds;
    try
    {
        int received = s.Receive(new byte[64 * 1024]);
        return received == 0 && s.SocketType == SocketType.Stream ? "ok eof" : $"ok {received}";
    }
    catch (SocketException e)
    {
        return "ok " + e.SocketErrorCode;
    }
}

string Close(int id)
{
    Socket s = sockets[id];
    sockets.Remove(id);
    s.Close();
    return "ok";
}

string Load(IPAddress address, int count)
{
    var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
    listener.Bind(new IPEndPoint(address, 0));
    listener.Listen(count + 16);
    int port = PortOf(listener.LocalEndPoint);
    sockets[nextId++] = listener;
    for (int i = 0; i < count; i++)
    {
        var client = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(new IPEndPoint(address, port));
        sockets[nextId++] = client;
        sockets[nextId++] = listener.Accept();
    }

    return $"ok {port}";
}

string ReceiveBuffer(int id, int bytes)
{
    sockets[id].ReceiveBufferSize = bytes;
    return "ok " + sockets[id].ReceiveBufferSize;
}

// "@name" is the abstract name "name" (a leading NUL), as ss and SockTools print it.
UnixDomainSocketEndPoint UnixName(string name) => new(name.StartsWith('@') ? "\0" + name[1..] : name);

SocketType UnixType(string[] words, int at)
    => words.Length > at && words[at] == "seqpacket" ? SocketType.Seqpacket : SocketType.Stream;

string AddUnix(Socket s) { int id = nextId++; sockets[id] = s; return $"ok {id} {Inode(s)}"; }

ulong Inode(Socket s)
{
    string link = new FileInfo($"/proc/self/fd/{(int)s.Handle}").LinkTarget!;
    return ulong.Parse(link["socket:[".Length..^1]);
}

string UnixListen(string name, SocketType type)
{
    var s = new Socket(AddressFamily.Unix, type, ProtocolType.Unspecified);
    s.Bind(UnixName(name));
    s.Listen(16);
    return AddUnix(s);
}

string UnixConnect(string name, SocketType type)
{
    var s = new Socket(AddressFamily.Unix, type, ProtocolType.Unspecified);
    s.Connect(UnixName(name));
    return AddUnix(s);
}

string UnixAccept(int listenerId) => AddUnix(sockets[listenerId].Accept());

string UnixDatagram(string name)
{
    var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    s.Bind(UnixName(name));
    return AddUnix(s);
}

string UnixDatagramConnect(string name)
{
    var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    s.Connect(UnixName(name));
    return AddUnix(s);
}

string SocketPair()
{
    var fds = new int[2];
    if (NativeSockets.socketpair(1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, fds) != 0)
    {
        throw new InvalidOperationException("socketpair failed: errno " + Marshal.GetLastPInvokeError());
    }

    var a = new Socket(new SafeSocketHandle(fds[0], ownsHandle: true));
    var b = new Socket(new SafeSocketHandle(fds[1], ownsHandle: true));
    int first = nextId++;
    sockets[first] = a;
    int second = nextId++;
    sockets[second] = b;
    return $"ok {first} {second} {Inode(a)} {Inode(b)}";
}

static class NativeSockets
{
    [DllImport("libc", SetLastError = true)]
    internal static extern int socketpair(int domain, int type, int protocol, int[] fds);
}
