namespace PgMigration.Core.Schema;

/// <summary>
/// Pre-data steps committed together. Each step holds a few locks until its transaction ends (a table:
/// itself, its TOAST table and that table's index), and the target's lock table is shared by all its
/// sessions and sized by its own settings, so a large schema is created in several transactions.
/// </summary>
/// <param name="Number">Position among the migration's batches, from 0: names the batch in the target's ledger.</param>
internal sealed record PreDataBatch(int Number, IReadOnlyList<SchemaStep> Steps)
{
    /// <summary>Consecutive runs of at most <paramref name="stepsPerBatch"/> steps, in their order; the same steps always split the same way.</summary>
    public static IReadOnlyList<PreDataBatch> Split(IReadOnlyList<SchemaStep> steps, int stepsPerBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerBatch, 1);
        return [.. steps.Chunk(stepsPerBatch).Select((batch, number) => new PreDataBatch(number, batch))];
    }
}
