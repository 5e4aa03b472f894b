using System.Runtime.CompilerServices;

// The event pipe's wiring tests publish through WakeEventHub's internal Publish, as the worker does.
[assembly: InternalsVisibleTo("WakeWord.Service.Tests")]
