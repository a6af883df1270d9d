namespace PgMigration.Core.Catalog;

public sealed record SchemaInfo(ObjectAddress Address, string Name, string? Comment);

public sealed record ExtensionInfo(ObjectAddress Address, string Name, string Schema, string Version)
{
    public string? Comment { get; init; }

    /// <summary>What pg_dump dumps of the extension's configuration tables: the rows their extcondition selects.</summary>
    public IReadOnlyList<ExtensionConfigurationRows> ConfigurationRows { get; init; } = [];
}

/// <summary>
/// Rows of a table an extension marked with pg_extension_config_dump, those its filter selects (the rows
/// a user added, not those the extension's script creates).
/// </summary>
/// <param name="Columns">The columns a row is inserted with (stored generated columns left out).</param>
/// <param name="Rows">Each row as its composite type's text, which the type's input reads back on the target.</param>
public sealed record ExtensionConfigurationRows(QualifiedName Table, IReadOnlyList<string> Columns, IReadOnlyList<string> Rows);

public sealed record CollationInfo(
    ObjectAddress Address,
    QualifiedName Name,
    CollationProvider Provider,
    string? Collate,
    string? Ctype,
    string? Locale,
    string? Rules,
    bool Deterministic,
    string? Comment);
