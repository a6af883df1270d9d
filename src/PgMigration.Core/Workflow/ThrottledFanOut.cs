namespace PgMigration.Core.Workflow;

/// <summary>
/// Fan-out with a bound, written for replay: units start in queue order, at most <c>capacity</c> slots
/// are busy, and the loop reacts only to the task <see cref="Task.WhenAny(Task[])"/> hands back, so a
/// replay that completes the same tasks in the same order makes the same decisions. A completed unit
/// may queue follow-up units, which go to the front, except those <c>lastCost</c> gives a cost (work
/// that nothing else waits for): they wait behind all other work, the costliest first, so that the
/// longest of them does not start last and run on alone.
/// </summary>
internal static class ThrottledFanOut
{
    public static async Task<List<TResult>> RunAsync<TUnit, TResult>(
        IEnumerable<TUnit> units,
        int capacity,
        Func<TUnit, int> slotsOf,
        Func<TUnit, Task<TResult>> start,
        Func<TUnit, TResult, IEnumerable<TUnit>> onCompleted,
        Func<TUnit, long?>? lastCost = null)
    {
        var queue = new LinkedList<TUnit>(units);
        // Costliest first; among equals, first come first served. A heap, not a sorted list: with thousands of
        // tables, inserting each ANALYZE into a list in order grows with the square of their number.
        var last = new PriorityQueue<TUnit, (long NegatedCost, long Arrival)>();
        long arrivals = 0;
        var results = new List<TResult>();
        var running = new Dictionary<Task<TResult>, TUnit>();
        var busy = 0;
        bool TryPeek(out TUnit next)
        {
            next = queue.First is { } first ? first.Value : last.TryPeek(out var waiting, out _) ? waiting : default!;
            return queue.Count > 0 || last.Count > 0;
        }

        while (queue.Count > 0 || last.Count > 0 || running.Count > 0)
        {
            // A unit wider than the whole capacity still starts, alone.
            while (TryPeek(out var next) && (running.Count == 0 || busy + slotsOf(next) <= capacity))
            {
                if (queue.Count > 0)
                {
                    queue.RemoveFirst();
                }
                else
                {
                    last.Dequeue();
                }

                busy += slotsOf(next);
                running.Add(start(next), next);
            }

            var finished = await Task.WhenAny(running.Keys);
            var unit = running[finished];
            running.Remove(finished);
            busy -= slotsOf(unit);
            var result = await finished;
            results.Add(result);
            var followUps = onCompleted(unit, result).Select(u => (Unit: u, Cost: lastCost?.Invoke(u))).ToList();
            foreach (var (followUp, _) in followUps.Where(u => u.Cost is null).Reverse())
            {
                queue.AddFirst(followUp);
            }

            foreach (var (followUp, cost) in followUps.Where(u => u.Cost is not null))
            {
                last.Enqueue(followUp, (-cost!.Value, arrivals++));
            }
        }

        return results;
    }
}
