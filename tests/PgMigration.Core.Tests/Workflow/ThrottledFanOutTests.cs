using PgMigration.Core.Workflow;

namespace PgMigration.Core.Tests.Workflow;

public class ThrottledFanOutTests
{
    [Fact]
    public async Task Work_nothing_waits_for_starts_after_all_other_work_costliest_first()
    {
        var started = new List<string>();

        await ThrottledFanOut.RunAsync(
            ["first", "second"],
            capacity: 1,
            _ => 1,
            unit =>
            {
                started.Add(unit);
                return Task.FromResult(unit);
            },
            (unit, _) => unit == "first" ? ["cheap", "follow-up", "costly"] : [],
            unit => unit switch { "cheap" => 1, "costly" => 9, _ => null });

        Assert.Equal(["first", "follow-up", "second", "costly", "cheap"], started);
    }
}
