using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace SockTools.Live
{
    /// <summary>
    /// Loads the view (SockTools.LiveView.dll and Terminal.Gui, in the module's LiveView folder) into an
    /// AssemblyLoadContext of its own, the first time Show-SockConnection runs, and runs it. Isolated so that another
    /// module's Terminal.Gui of another version (Out-ConsoleGridView's) can neither be taken by the view nor be
    /// disturbed by it; loaded late so Import-Module never pays for it.
    /// </summary>
    /// <remarks>
    /// SockTools.dll targets netstandard2.0 (Windows PowerShell too), which has no AssemblyLoadContext type, so the
    /// context is made through reflection. A context that loads every assembly of the folder by path before the view
    /// asks for it resolves the view's references to those copies (a context looks in what it has loaded first);
    /// what it has not loaded (the framework, SockTools.dll itself) comes from the default context, so the view and
    /// the cmdlet share one SocketEntry type.
    /// </remarks>
    internal static class LiveViewLoader
    {
        internal const string FolderName = "LiveView";
        private const string ViewAssembly = "SockTools.LiveView";
        private const string EntryType = "SockTools.LiveView.LiveViewApp";
        private const string EntryMethod = "Run";

        /// <summary>Assemblies the view must take from the default context, never from a copy in its folder.</summary>
        private static readonly HashSet<string> Shared = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "SockTools", "System.Management.Automation" };

        private static readonly object Gate = new object();
        private static MethodInfo? _run;

        /// <summary>The folder the view's assemblies are installed in, next to SockTools.dll.</summary>
        internal static string Folder => Path.Combine(Path.GetDirectoryName(typeof(LiveViewLoader).Assembly.Location) ?? ".", FolderName);

        /// <summary>Runs the view until the user quits; the rows selected then.</summary>
        /// <exception cref="LiveViewLoadException">The view could not be loaded.</exception>
        internal static IList<SocketEntry> Run(LiveTable table)
        {
            MethodInfo run = Load();
            try
            {
                return (IList<SocketEntry>)run.Invoke(null, new object[] { table })!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        }

        private static MethodInfo Load()
        {
            lock (Gate)
            {
                return _run ??= LoadOnce();
            }
        }

        private static MethodInfo LoadOnce()
        {
            string folder = Folder;
            string viewPath = Path.Combine(folder, ViewAssembly + ".dll");
            if (!File.Exists(viewPath))
            {
                throw new LiveViewLoadException($"{viewPath} is missing: the module was built or installed without its view.");
            }

            Type? contextType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false)
                ?? Type.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);
            ConstructorInfo? create = contextType?.GetConstructor(new[] { typeof(string), typeof(bool) });
            MethodInfo? loadFromPath = contextType?.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
            if (create is null || loadFromPath is null)
            {
                throw new LiveViewLoadException("This .NET has no AssemblyLoadContext (it is .NET Framework): the view needs PowerShell 7.");
            }

            object context = create.Invoke(new object[] { "SockTools.LiveView", false });
            try
            {
                // Dependencies first, so that the view's references find them in its own context.
                foreach (string dll in Directory.GetFiles(folder, "*.dll"))
                {
                    string name = Path.GetFileNameWithoutExtension(dll);
                    if (!string.Equals(name, ViewAssembly, StringComparison.OrdinalIgnoreCase) && !Shared.Contains(name))
                    {
                        loadFromPath.Invoke(context, new object[] { dll });
                    }
                }

                var view = (Assembly)loadFromPath.Invoke(context, new object[] { viewPath })!;
                return view.GetType(EntryType, throwOnError: true)!.GetMethod(EntryMethod, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                    ?? throw new LiveViewLoadException($"{viewPath} has no {EntryType}.{EntryMethod}.");
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw new LiveViewLoadException($"The view could not be loaded from {folder}: {e.InnerException.Message}", e.InnerException);
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException || e is TypeLoadException || e is UnauthorizedAccessException)
            {
                throw new LiveViewLoadException($"The view could not be loaded from {folder}: {e.Message}", e);
            }
        }
    }

    /// <summary>The view's assemblies are missing or cannot be loaded in this PowerShell.</summary>
    internal sealed class LiveViewLoadException : Exception
    {
        internal LiveViewLoadException(string message)
            : base(message)
        {
        }

        internal LiveViewLoadException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
