using System.Collections.Generic;

namespace SockTools.Table
{
    /// <summary>The addresses of one read, each formatted once however many entries share it.</summary>
    internal sealed class AddressTextCache
    {
        private readonly Dictionary<AddressValue, AddressText> _known = new Dictionary<AddressValue, AddressText>();

        internal AddressText Of(AddressValue address)
        {
            if (!_known.TryGetValue(address, out AddressText? text))
            {
                text = new AddressText(address, address.ToString());
                _known.Add(address, text);
            }

            return text;
        }
    }
}
