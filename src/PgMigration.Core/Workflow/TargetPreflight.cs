using Npgsql;
using PgMigration.Core.Schema;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// The checks of the target that refuse a new migration before anything of it is written, on either
/// server or in the checkpoints: the extensions it cannot install, and objects it already has that the
/// pre-data would create (unless they are to be kept as they are).
/// </summary>
public static class TargetPreflight
{
    public static async Task RefuseAsync(NpgsqlDataSource target, string targetDisplay, SchemaPlan schema, CancellationToken cancellationToken = default)
    {
        if (schema.PreData.Count == 0)
        {
            return;
        }

        var report = await new TargetInspector(target).InspectAsync(new SchemaScript(schema.PreData, []), schema.Extensions, cancellationToken);
        if (report.MissingExtensions.Count > 0)
        {
            throw new MigrationRefusedException(
                $"The target {targetDisplay} cannot install the extension(s) {string.Join(", ", report.MissingExtensions)}. Install their packages on the target server first.");
        }

        if (report.Conflicts.Count > 0 && !schema.SkipExisting)
        {
            throw ObjectsExist(targetDisplay, report);
        }
    }

    public static MigrationRefusedException ObjectsExist(string targetDisplay, TargetReport report)
    {
        var shown = string.Join("; ", report.Conflicts.Take(10).Select(c => c.Description));
        return new MigrationRefusedException(
            $"The target {targetDisplay} already has {report.Conflicts.Count} object(s) this migration would create ({shown}{(report.Conflicts.Count > 10 ? "; ..." : string.Empty)}). " +
            "Migrate into an empty database or drop those objects; to copy rows into existing tables use mode \"data\". Nothing was written.");
    }
}
