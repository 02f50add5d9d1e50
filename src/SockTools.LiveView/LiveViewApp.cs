using System.Collections.Generic;
using SockTools.Live;
using Terminal.Gui.App;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;

namespace SockTools.LiveView
{
    /// <summary>
    /// The entry point SockTools.dll calls by reflection (LiveViewLoader): runs the view on the calling thread (the
    /// pipeline's) until q or Esc, and gives back the rows selected. Disposing the application restores the terminal
    /// (screen, modes, cursor), also when the view fails.
    /// </summary>
    internal static class LiveViewApp
    {
        internal static IList<SocketEntry> Run(LiveTable table)
        {
            using IApplication app = Application.Create().Init();
            using var top = new Runnable { Width = Dim.Fill(), Height = Dim.Fill() };
            var grid = new SocketGrid(table) { X = 0, Y = 0, Width = Dim.Fill(), Height = Dim.Fill() };
            top.Add(grid);
            grid.Tick();
            object? timer = app.AddTimeout(table.Interval, () =>
            {
                grid.Tick();
                return true;
            });
            try
            {
                app.Run(top);
            }
            finally
            {
                if (timer is not null)
                {
                    app.RemoveTimeout(timer);
                }
            }

            return grid.Selection();
        }
    }
}
