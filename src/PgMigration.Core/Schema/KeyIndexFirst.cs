using PgMigration.Core.Catalog;

namespace PgMigration.Core.Schema;

/// <summary>
/// A primary key or unique constraint built as its unique index first, then made the constraint with
/// <c>ADD CONSTRAINT ... USING INDEX</c>, in one transaction. <c>ADD CONSTRAINT ... PRIMARY KEY (...)</c> holds
/// an ACCESS EXCLUSIVE lock while it builds the index, so nothing may read the table meanwhile; CREATE INDEX
/// takes a SHARE lock, so the table's other indexes and the query that verifies its rows run beside the
/// build, and only the last instant, which turns the index into the constraint, waits for the readers. The target's
/// catalog ends as with the plain form (the same constraint, owning an index of its name). Only the plain
/// shape takes this way; deferrable keys, INCLUDE columns, storage options, tablespaces and NULLS NOT DISTINCT
/// keep the constraint's own definition.
/// </summary>
internal static class KeyIndexFirst
{
    private static readonly string[] Clauses = ["INCLUDE", "WITH (", "USING INDEX", "DEFERRABLE", "NULLS NOT DISTINCT", "WITHOUT OVERLAPS"];

    public static bool Applies(ConstraintInfo constraint, IndexInfo index) =>
        constraint.Type is ConstraintType.PrimaryKey or ConstraintType.Unique
        && constraint.ParentConstraint == 0
        && index.ParentIndex is null
        && index.Name.Name == constraint.Name
        && constraint.Definition.StartsWith(constraint.Type == ConstraintType.PrimaryKey ? "PRIMARY KEY (" : "UNIQUE (", StringComparison.Ordinal)
        && constraint.Definition.EndsWith(')')
        && !Clauses.Any(clause => constraint.Definition.Contains(clause, StringComparison.Ordinal))
        && index.Definition.StartsWith("CREATE UNIQUE INDEX ", StringComparison.Ordinal)
        && index.Definition.Contains(" USING btree (", StringComparison.Ordinal)
        && !index.Definition.Contains(" WHERE ", StringComparison.Ordinal);

    public static string Sql(ConstraintInfo constraint, IndexInfo index)
    {
        var name = SqlText.Identifier(constraint.Name);
        var kind = constraint.Type == ConstraintType.PrimaryKey ? "PRIMARY KEY" : "UNIQUE";
        // SHARE ROW EXCLUSIVE lets readers in but not a second key of the same table: two builds that each held
        // a SHARE lock and then both asked for ACCESS EXCLUSIVE would deadlock.
        return $"LOCK TABLE ONLY {constraint.Table} IN SHARE ROW EXCLUSIVE MODE;{SchemaScriptBuilder.StatementBreak}{index.Definition};" +
            $"{SchemaScriptBuilder.StatementBreak}ALTER TABLE ONLY {constraint.Table} ADD CONSTRAINT {name} {kind} USING INDEX {name};";
    }
}
