namespace PgMigration.Core.Api;

/// <summary>
/// The body of <c>POST /api/migrations</c>, as sent. Every field is optional here so that validation,
/// not the deserializer, says what is missing.
/// </summary>
internal sealed record MigrationRequest
{
    public string? Source { get; init; }

    public string? Target { get; init; }

    public string? Mode { get; init; }

    public IReadOnlyList<string>? Include { get; init; }

    public IReadOnlyList<string>? Exclude { get; init; }

    public int? Parallelism { get; init; }

    public int? BatchSize { get; init; }

    /// <summary>Largest chunk in MB, as the command line's --chunk-mb: smaller tables copy whole.</summary>
    public int? ChunkMegabytes { get; init; }

    /// <summary>Copy from a replication slot's snapshot, then follow the source until POST .../cutover.</summary>
    public bool? Online { get; init; }

    public string? Id { get; init; }
}
