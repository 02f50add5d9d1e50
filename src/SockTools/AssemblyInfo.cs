using System.Runtime.InteropServices;

// Native libraries (libc) come from the system loader's search only, never from the module's own folder:
// a file named libc.so planted next to SockTools.dll must not be loaded in its place. On Unix only the
// AssemblyDirectory flag changes where .NET looks, so any value without it gives the system search.
[assembly: DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
