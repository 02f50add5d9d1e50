// What this host charges for memory a process has never touched, compiled by Measure-Rounds.ps1 with Add-Type.
// A read that keeps 500,000 objects needs about 130 MB of new heap (each object and the PSObject pwsh wraps it in);
// the first write to each new 4 KiB page is a page fault. On bare metal that costs well under a microsecond; in a
// virtual machine that shadows the guest's page tables it can cost ten times more, and then the faults, not the
// reader, decide how the read grows with the table. The report sets this cost beside the growth target.
using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SockToolsBench
{
    public sealed class FreshMemoryCost
    {
        public int Megabytes { get; set; }
        /// <summary>Microseconds per 4 KiB page for the first write into newly mapped memory (one page fault each).</summary>
        public double FirstTouchMicrosecondsPerPage { get; set; }
        /// <summary>Microseconds per 4 KiB page for the same writes again, the pages now mapped: what is left without the faults.</summary>
        public double RewriteMicrosecondsPerPage { get; set; }
        /// <summary>Page faults this process took during the first touch, to show each page faulted once.</summary>
        public long FirstTouchFaults { get; set; }
    }

    public static class FreshMemory
    {
        private const int PageSize = 4096;
        private const int ProtReadWrite = 0x1 | 0x2;
        private const int MapPrivateAnonymous = 0x02 | 0x20;

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr mmap(IntPtr address, UIntPtr length, int protection, int flags, int fd, IntPtr offset);

        [DllImport("libc", SetLastError = true)]
        private static extern int munmap(IntPtr address, UIntPtr length);

        /// <summary>Maps <paramref name="megabytes"/> of new anonymous memory, writes one byte per page (timed), does the
        /// same again (timed), and unmaps it. Linux only, as is the benchmark.</summary>
        public static FreshMemoryCost Measure(int megabytes)
        {
            long length = (long)megabytes << 20;
            IntPtr block = mmap(IntPtr.Zero, (UIntPtr)(ulong)length, ProtReadWrite, MapPrivateAnonymous, -1, IntPtr.Zero);
            if (block == new IntPtr(-1))
            {
                throw new InvalidOperationException("mmap of " + megabytes + " MB failed, errno " + Marshal.GetLastWin32Error());
            }
            try
            {
                long pages = length / PageSize;
                long faultsBefore = MinorFaults();
                var clock = Stopwatch.StartNew();
                Touch(block, pages, 1);
                double first = clock.Elapsed.TotalMilliseconds;
                long faults = MinorFaults() - faultsBefore;
                clock.Restart();
                Touch(block, pages, 2);
                double again = clock.Elapsed.TotalMilliseconds;
                return new FreshMemoryCost
                {
                    Megabytes = megabytes,
                    FirstTouchMicrosecondsPerPage = first * 1000 / pages,
                    RewriteMicrosecondsPerPage = again * 1000 / pages,
                    FirstTouchFaults = faults,
                };
            }
            finally
            {
                munmap(block, (UIntPtr)(ulong)length);
            }
        }

        private static void Touch(IntPtr block, long pages, byte value)
        {
            for (long page = 0; page < pages; page++)
            {
                Marshal.WriteByte(new IntPtr(block.ToInt64() + page * PageSize), value);
            }
        }

        /// <summary>Minor page faults of this process so far (field 10 of /proc/self/stat).</summary>
        public static long MinorFaults()
        {
            string stat = System.IO.File.ReadAllText("/proc/self/stat");
            string[] fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
            return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
