namespace PgMigration.Core.Workflow;

/// <summary>
/// Fan-out with a bound, written for replay: units start in queue order, at most <c>capacity</c> slots
/// are busy, and the loop reacts only to the task <see cref="Task.WhenAny(Task[])"/> hands back, so a
/// replay that completes the same tasks in the same order makes the same decisions. A completed unit
/// may queue follow-up units, which go to the front, except those <c>runsLast</c> picks out (work that
/// nothing else waits for), which go to the back.
/// </summary>
internal static class ThrottledFanOut
{
    public static async Task<List<TResult>> RunAsync<TUnit, TResult>(
        IEnumerable<TUnit> units,
        int capacity,
        Func<TUnit, int> slotsOf,
        Func<TUnit, Task<TResult>> start,
        Func<TUnit, TResult, IEnumerable<TUnit>> onCompleted,
        Func<TUnit, bool>? runsLast = null)
    {
        var queue = new LinkedList<TUnit>(units);
        var results = new List<TResult>();
        var running = new Dictionary<Task<TResult>, TUnit>();
        var busy = 0;
        while (queue.Count > 0 || running.Count > 0)
        {
            // A unit wider than the whole capacity still starts, alone.
            while (queue.First is { } next && (running.Count == 0 || busy + slotsOf(next.Value) <= capacity))
            {
                queue.RemoveFirst();
                busy += slotsOf(next.Value);
                running.Add(start(next.Value), next.Value);
            }

            var finished = await Task.WhenAny(running.Keys);
            var unit = running[finished];
            running.Remove(finished);
            busy -= slotsOf(unit);
            var result = await finished;
            results.Add(result);
            var followUps = onCompleted(unit, result).ToList();
            foreach (var followUp in followUps.Where(u => runsLast?.Invoke(u) != true).Reverse())
            {
                queue.AddFirst(followUp);
            }

            foreach (var followUp in followUps.Where(u => runsLast?.Invoke(u) == true))
            {
                queue.AddLast(followUp);
            }
        }

        return results;
    }
}
