using System.Runtime.ExceptionServices;

namespace WakeWord.Cli.Inputs;

/// <summary>
/// Runs one piece of work per input on up to <c>parallelism</c> threads and hands the results back in input order, each
/// as soon as it and every input before it are done, so output reads the same whatever the thread count. The work
/// shares the loaded models (an ONNX session serves several threads at once) and makes its own stream state.
/// </summary>
/// <remarks>
/// PLINQ does the scheduling (ordered, unbuffered merge). What this adds: one input runs on the calling thread, and a
/// failure comes out as itself, not wrapped in an AggregateException, so <see cref="CommandGuard"/> still maps a bad
/// file to its exit code.
/// </remarks>
public static class ParallelInputs
{
    /// <summary>Inputs in flight at once when the user does not say: one per core.</summary>
    public static int DefaultParallelism => Environment.ProcessorCount;

    public static IEnumerable<TResult> Map<TResult>(
        IReadOnlyList<string> inputs,
        int parallelism,
        Func<string, CancellationToken, TResult> work,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        return inputs.Count <= 1 || parallelism == 1
            ? inputs.Select(input => work(input, cancellationToken))
            : Unwrapped(inputs
                .AsParallel()
                .AsOrdered()
                .WithDegreeOfParallelism(Math.Min(parallelism, inputs.Count))
                .WithMergeOptions(ParallelMergeOptions.NotBuffered)
                .WithCancellation(cancellationToken)
                .Select(input => work(input, cancellationToken)));
    }

    private static IEnumerable<TResult> Unwrapped<TResult>(IEnumerable<TResult> results)
    {
        using IEnumerator<TResult> each = results.GetEnumerator();
        while (true)
        {
            try
            {
                if (!each.MoveNext())
                {
                    yield break;
                }
            }
            catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
            {
                ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            }

            yield return each.Current;
        }
    }
}
