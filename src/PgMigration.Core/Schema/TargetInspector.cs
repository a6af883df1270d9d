using PgMigration.Core.Catalog;
using Npgsql;

namespace PgMigration.Core.Schema;

/// <summary>What the target already has that a script would create, and which extensions it cannot install.</summary>
internal sealed record TargetReport(IReadOnlyList<SchemaStep> Conflicts, IReadOnlyList<string> MissingExtensions, int ServerVersionNumber)
{
    /// <summary>
    /// The steps left when what the target already has stays as it is: the conflicting objects, and
    /// everything belonging to a table or view it already has (keys, indexes, triggers ...).
    /// </summary>
    public List<SchemaStep> WithoutExisting(IEnumerable<SchemaStep> steps)
    {
        var conflicts = Conflicts.ToHashSet();
        var existingTables = Conflicts.Where(c => c.Kind is SchemaObjectKind.Table or SchemaObjectKind.View or SchemaObjectKind.MaterializedView or SchemaObjectKind.ForeignTable)
            .Select(c => c.Table).OfType<QualifiedName>().ToHashSet();
        return steps.Where(s => !conflicts.Contains(s) && (s.Table is null || !existingTables.Contains(s.Table))).ToList();
    }

    /// <summary>Whether the connecting role is a superuser (event triggers need one).</summary>
    public bool IsSuperuser { get; init; }

    /// <summary>Roles the script names (policies, owners, grants) that the target does not have.</summary>
    public IReadOnlyList<string> MissingRoles { get; init; } = [];
}

internal sealed class TargetInspector(NpgsqlDataSource target)
{
    private const string UserSchema = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'";

    public async Task<TargetReport> InspectAsync(SchemaScript script, IEnumerable<string> extensions, CancellationToken cancellationToken = default) =>
        await InspectAsync(script, extensions, [], cancellationToken);

    public async Task<TargetReport> InspectAsync(SchemaScript script, IEnumerable<string> extensions, IEnumerable<string> roles, CancellationToken cancellationToken = default)
    {
        await using var connection = await target.OpenConnectionAsync(cancellationToken);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
            "SELECT 'schema:' || n.nspname FROM pg_namespace n WHERE " + UserSchema +
            " UNION ALL SELECT 'relation:' || n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + UserSchema +
            " UNION ALL SELECT 'type:' || n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " + UserSchema +
            " UNION ALL SELECT 'collation:' || n.nspname || '.' || c.collname FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace WHERE " + UserSchema +
            " UNION ALL SELECT 'tsdict:' || n.nspname || '.' || d.dictname FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace WHERE " + UserSchema +
            " UNION ALL SELECT 'tsconfig:' || n.nspname || '.' || c.cfgname FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace WHERE " + UserSchema +
            " UNION ALL SELECT 'publication:' || p.pubname FROM pg_publication p" +
            " UNION ALL SELECT 'server:' || s.srvname FROM pg_foreign_server s" +
            " UNION ALL SELECT 'eventtrigger:' || e.evtname FROM pg_event_trigger e" +
            " UNION ALL SELECT 'statistics:' || n.nspname || '.' || s.stxname FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE " + UserSchema +
            " UNION ALL SELECT 'routine:' || n.nspname || '.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + UserSchema,
            connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existing.Add(reader.GetString(0));
            }
        }

        var available = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT name FROM pg_available_extensions", connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                available.Add(reader.GetString(0));
            }
        }

        bool superuser;
        await using (var command = new NpgsqlCommand("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", connection))
        {
            superuser = (bool)(await command.ScalarAsync(cancellationToken))!;
        }

        var existingRoles = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT rolname::text FROM pg_roles", connection))
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                existingRoles.Add(reader.GetString(0));
            }
        }

        var conflicts = script.Steps.Where(s => s.ConflictKey is not null && existing.Contains(s.ConflictKey)).ToList();
        var missing = extensions.Where(e => !available.Contains(e)).ToList();
        return new TargetReport(conflicts, missing, connection.PostgreSqlVersion.Major * 10000 + connection.PostgreSqlVersion.Minor)
        {
            MissingRoles = roles.Where(r => !existingRoles.Contains(r)).Distinct(StringComparer.Ordinal).ToList(),
            IsSuperuser = superuser,
        };
    }
}
