using System.Text.Json.Serialization;
using PgMigration.Core.Online;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Api;

/// <summary>The body of <c>GET /api/migrations/{id}</c>: the run as its host reports it, per-table progress and errors.</summary>
internal sealed record MigrationStatus : MigrationRun
{
    public IReadOnlyList<TableProgress> Tables { get; init; } = [];

    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>An online migration's follow phase: lag, changes applied, their rate, WAL kept by the slot.</summary>
    public ReplicationProgress? Replication { get; init; }

    /// <summary>Reported in <see cref="Errors"/>.</summary>
    [JsonIgnore]
    public override string? Failure { get => base.Failure; init => base.Failure = value; }

    public static MigrationStatus From(MigrationRun run, IReadOnlyList<TableProgress> tables) => new()
    {
        InstanceId = run.InstanceId,
        Name = run.Name,
        RuntimeStatus = run.RuntimeStatus,
        CreatedTime = run.CreatedTime,
        LastUpdatedTime = run.LastUpdatedTime,
        CustomStatus = run.CustomStatus,
        Output = run.Output,
        Failure = run.Failure,
        FailureKind = run.FailureKind,
        Tables = tables,
        Errors = run.Failure is null ? []
            : run.FailureKind == MigrationFailureKind.Resumable ? [$"{BoundedText.Message(run.Failure)}{Environment.NewLine}{ResumeAdvice(run.InstanceId)}"]
            : [BoundedText.Message(run.Failure)],
    };

    /// <summary>What to do after a failure, worded for a caller of this API; the workflow's message says only what failed.</summary>
    public static string ResumeAdvice(string id) =>
        $"Fix the cause and start the migration again with the same id (POST /{MigrationApi.MigrationsRoute} with \"id\":\"{id}\"): finished work is kept and it resumes from its checkpoints.";
}
