using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SockTools.Live;
using SockTools.Watch;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using Terminal.Gui.Views;
using Attribute = Terminal.Gui.Drawing.Attribute;

namespace SockTools.LiveView
{
    /// <summary>
    /// The whole screen of Show-SockConnection: a header, the rows, a status line and a key line, drawn by hand in one
    /// view so that every column is as wide as its widest value and nothing is cut. Keys act on the row under the
    /// cursor. Refreshes come from a timer of the application (<see cref="Tick"/>), on the UI thread.
    /// </summary>
    internal sealed class SocketGrid : View
    {
        private static readonly Attribute Plain = new Attribute(ColorName16.White, ColorName16.Black);
        private static readonly Attribute Header = new Attribute(ColorName16.Black, ColorName16.Gray);
        private static readonly Attribute Opened = new Attribute(ColorName16.Black, ColorName16.BrightGreen);
        private static readonly Attribute Closed = new Attribute(ColorName16.White, ColorName16.Red);
        private static readonly Attribute Changed = new Attribute(ColorName16.Black, ColorName16.BrightYellow);
        private static readonly Attribute CursorRow = new Attribute(ColorName16.Black, ColorName16.BrightCyan);
        private static readonly Attribute Status = new Attribute(ColorName16.BrightYellow, ColorName16.Blue);

        private readonly LiveTable _table;
        private readonly RowOrder _order = new RowOrder();
        private readonly HashSet<SocketKey> _selected = new HashSet<SocketKey>();
        private List<LiveRow> _all = new List<LiveRow>();
        private List<LiveRow> _shown = new List<LiveRow>();
        private int _cursor;
        private int _top;
        private bool _paused;
        private bool _typing;
        private string? _message;
        private LiveRow? _closing;

        internal SocketGrid(LiveTable table)
        {
            _table = table;
            CanFocus = true;
        }

        /// <summary>One refresh: read the table unless paused, and draw again (marks fade even while paused).</summary>
        internal void Tick()
        {
            if (!_paused)
            {
                _all = _table.Refresh();
                Reorder();
            }

            SetNeedsDraw();
        }

        /// <summary>What -PassThru writes: the rows marked with Space, or else the row under the cursor.</summary>
        internal List<SocketEntry> Selection()
        {
            List<SocketEntry> marked = _shown.Where(r => _selected.Contains(r.Key)).Select(r => r.Entry).ToList();
            if (marked.Count == 0 && _cursor < _shown.Count)
            {
                marked.Add(_shown[_cursor].Entry);
            }

            return marked;
        }

        /// <summary>Rows on screen: all lines but the header and the two status lines.</summary>
        private int VisibleRows => Math.Max(1, Viewport.Height - 3);

        protected override bool OnDrawingContent(DrawContext? context)
        {
            int width = Viewport.Width, height = Viewport.Height;
            List<GridColumn> columns = GridColumns.Fit(_shown, width);
            KeepCursorVisible();

            SetAttribute(Header);
            AddStr(0, 0, Pad(HeaderLine(columns), width));
            for (int line = 0; line < VisibleRows; line++)
            {
                int index = _top + line;
                if (index < _shown.Count)
                {
                    LiveRow row = _shown[index];
                    SetAttribute(index == _cursor ? CursorRow : AttributeOf(row.Mark));
                    AddStr(0, line + 1, Pad(RowLine(row, columns), width));
                }
                else
                {
                    SetAttribute(Plain);
                    AddStr(0, line + 1, new string(' ', width));
                }
            }

            SetAttribute(Status);
            AddStr(0, height - 2, Pad(StatusText.Counts(_all, _table.RefreshedAt, _paused, _table.Failure)
                + (_order.Filter.Length > 0 && !_typing ? $"  filter: {_order.Filter} ({_shown.Count} of {_all.Count})" : string.Empty), width));
            AddStr(0, height - 1, Pad(LastLine(), width));
            return true;
        }

        /// <summary>The question being asked, the filter being typed, what just happened, a warning, or the keys.</summary>
        private string LastLine()
        {
            if (_closing is LiveRow row)
            {
                // Short enough for 80 columns with IPv4 endpoints: the question is never cut before "y/n".
                SocketEntry e = row.Entry;
                string what = e.IsListener ? "listener " : string.Empty;
                return $"Close {what}{e.Protocol} {e.LocalEndpoint}{(e.IsListener ? string.Empty : " -> " + e.RemoteEndpoint)}? y/n";
            }

            return _typing ? $"filter: {_order.Filter}_  (Enter keeps it, Esc clears it)" : _message ?? _table.Log.LatestWarning ?? StatusText.Keys;
        }

        protected override bool OnKeyDown(Key key)
        {
            _message = null;
            if (_closing is not null)
            {
                Answer(key);
                SetNeedsDraw();
                return true;
            }

            bool handled = _typing ? Type(key) : Command(key);
            if (handled)
            {
                SetNeedsDraw();
            }

            return handled;
        }

        /// <summary>Keys while the filter is being typed: characters go into it.</summary>
        private bool Type(Key key)
        {
            if (key == Key.Enter)
            {
                _typing = false;
            }
            else if (key == Key.Esc)
            {
                _typing = false;
                _order.Filter = string.Empty;
            }
            else if (key == Key.Backspace)
            {
                _order.Filter = _order.Filter.Length > 0 ? _order.Filter.Substring(0, _order.Filter.Length - 1) : string.Empty;
            }
            else if (Printable(key) is string text)
            {
                _order.Filter += text;
            }
            else
            {
                return false;
            }

            Reorder();
            return true;
        }

        private bool Command(Key key)
        {
            if (key == Key.Esc || Printable(key) is "q" or "Q")
            {
                App?.RequestStop();
            }
            else if (key == Key.CursorUp)
            {
                _cursor--;
            }
            else if (key == Key.CursorDown)
            {
                _cursor++;
            }
            else if (key == Key.PageUp)
            {
                _cursor -= VisibleRows;
            }
            else if (key == Key.PageDown)
            {
                _cursor += VisibleRows;
            }
            else if (key == Key.Home)
            {
                _cursor = 0;
            }
            else if (key == Key.End)
            {
                _cursor = _shown.Count - 1;
            }
            else if (key == Key.Enter)
            {
                ShowDetails();
            }
            else if (key == Key.Delete)
            {
                AskToClose();
            }
            else if (key == Key.Space)
            {
                ToggleSelected();
            }
            else
            {
                switch (Printable(key))
                {
                    case "/":
                        _typing = true;
                        break;
                    case "p":
                    case "P":
                        _paused = !_paused;
                        break;
                    case "<":
                    case ",":
                        _order.SortBy((_order.SortColumn + GridColumns.All.Length - 1) % GridColumns.All.Length);
                        Reorder();
                        break;
                    case ">":
                    case ".":
                        _order.SortBy((_order.SortColumn + 1) % GridColumns.All.Length);
                        Reorder();
                        break;
                    case "r":
                    case "R":
                        _order.SortBy(_order.SortColumn); // the same column again: the other direction
                        Reorder();
                        break;
                    case string digit when digit.Length == 1 && digit[0] >= '1' && digit[0] < '1' + GridColumns.All.Length:
                        _order.SortBy(digit[0] - '1');
                        Reorder();
                        break;
                    default:
                        return false;
                }
            }

            return true;
        }

        private void ShowDetails()
        {
            if (App is null || _cursor >= _shown.Count)
            {
                return;
            }

            // A dialog of its own rather than a message box, which centres each line: names and values stay in
            // aligned columns.
            using var dialog = new Dialog { Title = _shown[_cursor].Entry.Summary, Width = Dim.Percent(90), Height = Dim.Percent(90) };
            dialog.Add(new Label { Text = DetailsText.For(_shown[_cursor]), Width = Dim.Fill(), Height = Dim.Fill() });
            dialog.AddButton(new Button { Text = "OK", IsDefault = true });
            App.Run(dialog);
        }

        /// <summary>
        /// Delete: asks on the last line (y closes, any other key does not), then closes through the module's closer
        /// (Close-SockConnection's) and says how it went. Asked in the view itself, not in a dialog, so the answer key
        /// cannot also reach the table.
        /// </summary>
        private void AskToClose()
        {
            if (_cursor >= _shown.Count)
            {
                return;
            }

            LiveRow row = _shown[_cursor];
            if (row.Mark == LiveMark.Closed)
            {
                _message = "That socket is closed already.";
                return;
            }

            _closing = row;
        }

        private void Answer(Key key)
        {
            LiveRow row = _closing!;
            _closing = null;
            _message = Printable(key) is "y" or "Y" ? _table.Close(row.Entry) : "Not closed.";
        }

        private void ToggleSelected()
        {
            if (_cursor < _shown.Count && !_selected.Add(_shown[_cursor].Key))
            {
                _selected.Remove(_shown[_cursor].Key);
            }

            _cursor++;
        }

        /// <summary>Filters and sorts again, keeping the cursor on the same socket when it is still shown.</summary>
        private void Reorder()
        {
            SocketKey? current = _cursor < _shown.Count && _cursor >= 0 ? _shown[_cursor].Key : null;
            _shown = _order.Apply(_all);
            if (current is SocketKey key)
            {
                int at = _shown.FindIndex(r => r.Key.Equals(key));
                if (at >= 0)
                {
                    _cursor = at;
                }
            }
        }

        private void KeepCursorVisible()
        {
            _cursor = Math.Max(0, Math.Min(_cursor, _shown.Count - 1));
            if (_cursor < _top)
            {
                _top = _cursor;
            }
            else if (_cursor >= _top + VisibleRows)
            {
                _top = _cursor - VisibleRows + 1;
            }

            _top = Math.Max(0, Math.Min(_top, Math.Max(0, _shown.Count - VisibleRows)));
        }

        private string HeaderLine(List<GridColumn> columns)
        {
            var line = new StringBuilder(new string(' ', GridColumns.MarkWidth));
            foreach (GridColumn column in columns)
            {
                string arrow = ReferenceEquals(column, GridColumns.All[_order.SortColumn]) ? (_order.Descending ? "▼" : "▲") : string.Empty;
                string header = column.Header + arrow;
                line.Append(' ').Append(column.AlignRight ? header.PadLeft(column.Width) : header.PadRight(column.Width));
            }

            return line.ToString();
        }

        private string RowLine(LiveRow row, List<GridColumn> columns)
        {
            char mark = row.Mark switch
            {
                LiveMark.New => '+',
                LiveMark.Closed => '-',
                LiveMark.Changed => '~',
                _ => ' ',
            };
            var line = new StringBuilder();
            line.Append(mark).Append(_selected.Contains(row.Key) ? '*' : ' ');
            foreach (GridColumn column in columns)
            {
                string text = column.Text(row.Entry);
                line.Append(' ').Append(column.AlignRight ? text.PadLeft(column.Width) : text.PadRight(column.Width));
            }

            return line.ToString();
        }

        private static Attribute AttributeOf(LiveMark mark) => mark switch
        {
            LiveMark.New => Opened,
            LiveMark.Closed => Closed,
            LiveMark.Changed => Changed,
            _ => Plain,
        };

        private static string? Printable(Key key)
        {
            if (key.IsCtrl || key.IsAlt)
            {
                return null;
            }

            System.Text.Rune rune = key.AsRune;
            return rune.Value >= 32 && rune.Value != 127 ? rune.ToString() : null;
        }

        private static string Pad(string text, int width) => text.Length >= width ? text.Substring(0, Math.Max(0, width)) : text.PadRight(width);
    }
}
