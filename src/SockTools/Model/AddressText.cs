namespace SockTools
{
    /// <summary>
    /// One end's address as an entry shows it (canonical text) and as the reader compares it (the value), made once per
    /// distinct address in a read and shared by every entry that has it. An entry then holds one reference per end
    /// where it held a string and a 24-byte value: 48 bytes less an entry, which at 500,000 entries is 24 MB the
    /// collector no longer copies.
    /// </summary>
    internal sealed class AddressText
    {
        internal AddressText(AddressValue value, string text)
        {
            Value = value;
            Text = text;
        }

        internal AddressValue Value { get; }

        internal string Text { get; }
    }
}
