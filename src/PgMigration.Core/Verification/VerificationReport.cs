using System.Globalization;
using System.Text;

namespace PgMigration.Core.Verification;

public sealed record VerificationReport(IReadOnlyList<TableVerification> Tables)
{
    public bool AllMatch => Tables.All(t => t.Matches);

    public IEnumerable<TableVerification> Mismatches => Tables.Where(t => !t.Matches);

    /// <summary>A fixed-width table for people: one line per table, mismatches marked and explained.</summary>
    public string Render()
    {
        var width = Math.Max(5, Tables.Count == 0 ? 0 : Tables.Max(t => t.Table.Sql.Length));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"table".PadRight(width)}  {"source rows",12}  {"target rows",12}  result");
        foreach (var table in Tables.OrderBy(t => t.Table.Sql, StringComparer.Ordinal))
        {
            var result = table.Matches ? "ok"
                : table.SourceRows != table.TargetRows ? "MISMATCH (row count)"
                : "MISMATCH (content)";
            text.AppendLine(CultureInfo.InvariantCulture, $"{table.Table.Sql.PadRight(width)}  {table.SourceRows,12:N0}  {table.TargetRows,12:N0}  {result}");
            foreach (var chunk in table.MismatchedChunks)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{string.Empty.PadRight(width)}    differs in {chunk}");
            }
        }

        var bad = Tables.Count(t => !t.Matches);
        text.AppendLine(bad == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Tables.Count} tables verified: row counts and checksums match.")
            : string.Create(CultureInfo.InvariantCulture, $"{bad} of {Tables.Count} tables differ: {string.Join(", ", Mismatches.Select(t => t.Table))}."));
        return text.ToString();
    }
}
