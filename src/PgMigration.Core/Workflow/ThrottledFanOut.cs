namespace PgMigration.Core.Workflow;

/// <summary>
/// Fan-out with a bound, written for replay: units start in the given order, at most
/// <c>capacity</c> slots are busy, and the loop reacts only to the task <see cref="Task.WhenAny(Task[])"/>
/// hands back, so a replay that completes the same tasks in the same order makes the same decisions.
/// </summary>
internal static class ThrottledFanOut
{
    public static async Task<TResult[]> RunAsync<TUnit, TResult>(
        IReadOnlyList<TUnit> units,
        int capacity,
        Func<TUnit, int> slotsOf,
        Func<TUnit, Task<TResult>> start,
        Action<TUnit, TResult> onCompleted)
    {
        var results = new TResult[units.Count];
        var running = new Dictionary<Task<TResult>, int>();
        var busy = 0;
        var next = 0;
        while (next < units.Count || running.Count > 0)
        {
            // A unit wider than the whole capacity still starts, alone.
            while (next < units.Count && (running.Count == 0 || busy + slotsOf(units[next]) <= capacity))
            {
                busy += slotsOf(units[next]);
                running.Add(start(units[next]), next);
                next++;
            }

            var finished = await Task.WhenAny(running.Keys);
            var index = running[finished];
            running.Remove(finished);
            busy -= slotsOf(units[index]);
            results[index] = await finished;
            onCompleted(units[index], results[index]);
        }

        return results;
    }
}
