using System.Diagnostics;
using WakeWord.Core.Audio;

namespace WakeWord.Core.Tests.Audio;

public sealed class FloatRingBufferTests
{
    [Fact]
    public void Constructor_RejectsZeroCapacity_NamingTheValue()
    {
        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FloatRingBuffer(0));
        Assert.Contains("got 0", ex.Message);
    }

    [Fact]
    public void WriteThenRead_KeepsOrderAcrossTheWrapAround()
    {
        using var ring = new FloatRingBuffer(5);
        float[] output = new float[5];
        Assert.Equal(3, ring.Write([1, 2, 3]));
        Assert.Equal(2, ring.Read(output.AsSpan(0, 2)));
        Assert.Equal(4, ring.Write([4, 5, 6, 7])); // wraps: positions 3, 4, 0, 1
        Assert.Equal(5, ring.Count);
        Assert.Equal(5, ring.Read(output));
        Assert.Equal([3f, 4, 5, 6, 7], output);
        Assert.Equal(0, ring.Count);
        Assert.Equal(0, ring.Read(output));
    }

    [Fact]
    public void Write_WhenFull_DropsTheNewestRemainderAndCountsIt()
    {
        using var ring = new FloatRingBuffer(4);
        Assert.Equal(3, ring.Write([1, 2, 3]));
        Assert.Equal(1, ring.Write([4, 5, 6]));
        Assert.Equal(0, ring.Write([7]));
        Assert.Equal(3, ring.DroppedSamples);
        Assert.Equal(2, ring.Overruns);

        float[] output = new float[8];
        Assert.Equal(4, ring.Read(output));
        Assert.Equal([1f, 2, 3, 4], output[..4]);
    }

    [Fact]
    public void BlockingRead_ReturnsZeroWhenTheTimeoutPassesWithNothingWritten()
    {
        using var ring = new FloatRingBuffer(8);
        Assert.Equal(0, ring.Read(new float[4], TimeSpan.FromMilliseconds(20), CancellationToken.None));
    }

    [Fact]
    public void BlockingRead_ThrowsWhenCancelled()
    {
        using var ring = new FloatRingBuffer(8);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(30));
        Assert.ThrowsAny<OperationCanceledException>(() => ring.Read(new float[4], Timeout.InfiniteTimeSpan, cts.Token));
    }

    [Fact]
    public void BlockingRead_RejectsANegativeTimeout()
    {
        using var ring = new FloatRingBuffer(8);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Read(new float[4], TimeSpan.FromSeconds(-2), CancellationToken.None));
    }

    [Fact]
    public void BlockingRead_WakesWhenTheWriterWrites()
    {
        using var ring = new FloatRingBuffer(8);
        float[] output = new float[4];
        int n = -1;
        var reader = new Thread(() => n = ring.Read(output, TimeSpan.FromSeconds(30), CancellationToken.None));
        reader.Start();

        // Write only once the reader is blocked in its wait, so that the wake-up is what gets tested.
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((reader.ThreadState & System.Threading.ThreadState.WaitSleepJoin) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the reader never blocked");
            Thread.Yield();
        }

        ring.Write([42f, 43f]);
        Assert.True(reader.Join(TimeSpan.FromSeconds(20)), "the reader was not woken");
        Assert.True(n is 1 or 2, $"read {n}");
        Assert.Equal(42f, output[0]);
    }

    [Fact]
    public void BlockingRead_AfterComplete_DrainsThenReturnsZero()
    {
        using var ring = new FloatRingBuffer(8);
        ring.Write([1f, 2f]);
        ring.Complete();
        float[] output = new float[4];
        Assert.Equal(2, ring.Read(output, Timeout.InfiniteTimeSpan, CancellationToken.None));
        Assert.Equal(0, ring.Read(output, Timeout.InfiniteTimeSpan, CancellationToken.None));
        Assert.True(ring.IsCompleted);
    }

    [Fact]
    public void Reset_EmptiesAndClearsCounters()
    {
        using var ring = new FloatRingBuffer(2);
        ring.Write([1f, 2f, 3f]);
        ring.Complete();
        ring.Reset();
        Assert.Equal(0, ring.Count);
        Assert.Equal(0, ring.DroppedSamples);
        Assert.Equal(0, ring.Overruns);
        Assert.False(ring.IsCompleted);
    }

    [Fact]
    public void ProducerAndConsumerThreads_PassEverySampleInOrder()
    {
        const int total = 2_000_000;
        using var ring = new FloatRingBuffer(1000);
        var producer = new Thread(() =>
        {
            float[] chunk = new float[137];
            int next = 0;
            while (next < total)
            {
                int n = Math.Min(Math.Min(chunk.Length, ring.FreeSpace), total - next);
                for (int i = 0; i < n; i++)
                {
                    chunk[i] = next + i;
                }

                next += ring.Write(chunk.AsSpan(0, n));
            }

            ring.Complete();
        });
        producer.Start();

        float[] buffer = new float[97];
        long expected = 0;
        var watch = Stopwatch.StartNew();
        while (true)
        {
            int n = ring.Read(buffer, TimeSpan.FromSeconds(10), CancellationToken.None);
            if (n == 0)
            {
                break;
            }

            for (int i = 0; i < n; i++)
            {
                // float holds integers exactly up to 2^24, so the sequence stays exact.
                Assert.Equal(expected, (long)buffer[i]);
                expected++;
            }
        }

        producer.Join();
        Assert.Equal(total, expected);
        Assert.Equal(0, ring.DroppedSamples);
    }

    [Fact]
    public void WriteAndRead_AllocateNothing()
    {
        using var ring = new FloatRingBuffer(4096);
        float[] input = new float[160];
        float[] output = new float[160];
        for (int i = 0; i < 100; i++)
        {
            ring.Write(input);
            ring.Read(output, TimeSpan.FromSeconds(1), CancellationToken.None);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            ring.Write(input);
            ring.Read(output, TimeSpan.FromSeconds(1), CancellationToken.None);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void BlockingReadsThatWait_WithARealToken_AllocateNothing()
    {
        using var ring = new FloatRingBuffer(4096);
        using var cts = new CancellationTokenSource();
        using var stop = new ManualResetEventSlim(false);
        float[] output = new float[4096];

        // Warm up the waiting path for sure (first token registration, first monitor wait): the ring is empty.
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(0, ring.Read(output, TimeSpan.FromMilliseconds(2), cts.Token));
        }

        var writer = new Thread(() =>
        {
            float[] chunk = new float[16];
            while (!stop.IsSet)
            {
                ring.Write(chunk);
                Thread.Sleep(1); // the reader blocks in between, so its wait path is what gets measured
            }
        });
        writer.Start();
        for (int i = 0; i < 200; i++)
        {
            ring.Read(output, TimeSpan.FromSeconds(5), cts.Token);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int reads = 0;
        for (int i = 0; i < 500; i++)
        {
            reads += ring.Read(output, TimeSpan.FromSeconds(5), cts.Token) > 0 ? 1 : 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        stop.Set();
        writer.Join();
        Assert.Equal(500, reads);
        Assert.Equal(0, allocated);
    }
}
