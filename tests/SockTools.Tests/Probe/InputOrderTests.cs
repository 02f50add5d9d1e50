using SockTools.Probe;
using Xunit;

namespace SockTools.Tests.Probe
{
    public class InputOrderTests
    {
        [Fact]
        public void Releases_in_admission_order_whatever_order_things_finish_in()
        {
            var order = new InputOrder<string>();
            object a = new object(), b = new object(), c = new object();
            order.Admit(a);
            order.Admit(b);
            order.Admit(c);

            order.Complete(c, "c");
            order.Complete(b, "b");
            Assert.Empty(order.TakeReady());         // a is still running: b and c wait for it
            Assert.Equal(2, order.Held);
            Assert.Equal(3, order.Unreleased);

            order.Complete(a, "a");
            Assert.Equal(new[] { "a", "b", "c" }, order.TakeReady());
            Assert.Equal(0, order.Unreleased);
            Assert.Equal(0, order.Held);
        }

        [Fact]
        public void Releases_each_one_as_soon_as_its_turn_comes()
        {
            var order = new InputOrder<string>();
            object a = new object(), b = new object();
            order.Admit(a);
            order.Complete(a, "a");
            Assert.Equal(new[] { "a" }, order.TakeReady());
            order.Admit(b);
            Assert.Empty(order.TakeReady());
            Assert.Equal(1, order.Unreleased);
        }

        [Fact]
        public void Keys_are_told_apart_by_identity_not_by_value()
        {
            var order = new InputOrder<string>();
            var first = new ProbeTarget("db", null, 5432);
            var second = new ProbeTarget("db", null, 5432); // the same target given twice is two targets
            order.Admit(first);
            order.Admit(second);
            order.Complete(second, "second");
            Assert.Empty(order.TakeReady());
            order.Complete(first, "first");
            Assert.Equal(new[] { "first", "second" }, order.TakeReady());
        }

        [Fact]
        public void At_the_end_passes_over_what_never_finished()
        {
            var order = new InputOrder<string>();
            object lost = new object(), done = new object();
            order.Admit(lost);
            order.Admit(done);
            order.Complete(done, "done");
            Assert.Equal(new[] { "done" }, order.TakeAll());
            Assert.Equal(0, order.Unreleased);
        }
    }
}
