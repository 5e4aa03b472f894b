using System.Runtime.CompilerServices;

// The service's tests drive the pipe's internal pieces and publish through ServiceHub's internal Publish, as the worker does.
[assembly: InternalsVisibleTo("WakeWord.Service.Tests")]
