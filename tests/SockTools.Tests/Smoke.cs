namespace SockTools.Tests;
public class Smoke { [Xunit.Fact] public void Runs() { } }
