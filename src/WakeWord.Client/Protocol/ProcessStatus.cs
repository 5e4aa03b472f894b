namespace WakeWord.Client.Protocol;

/// <summary>The service process's resources in a <see cref="ServiceStatusMessage"/>: what an administrator (or a soak
/// test) watches to see that memory, threads and handles stay flat and the audio path does not make the GC run.</summary>
/// <param name="ResidentBytes">Resident set (physical memory in use; VmRSS on Linux).</param>
/// <param name="ManagedHeapBytes">Bytes on the managed heap after the last garbage collection, plus those allocated since.</param>
/// <param name="AllocatedBytes">Bytes ever allocated on the managed heap by this process.</param>
/// <param name="GcCollections">Garbage collections so far, by generation (0, 1, 2).</param>
/// <param name="Threads">Threads of the process.</param>
/// <param name="Handles">Open handles (file descriptors on Linux, sockets included).</param>
public sealed record ProcessStatus(
    long ResidentBytes,
    long ManagedHeapBytes,
    long AllocatedBytes,
    IReadOnlyList<int> GcCollections,
    int Threads,
    int Handles);
