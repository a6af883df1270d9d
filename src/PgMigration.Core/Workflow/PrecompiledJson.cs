using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using PgMigration.Core.Checkpoints;
using PgMigration.Core.Copy;
using PgMigration.Core.Workflow.Models;

namespace PgMigration.Core.Workflow;

/// <summary>
/// Serialization code for what a migration stores and passes between its steps, generated at compile
/// time. Built by reflection instead, the first plan and checkpoint writes of a run cost about 100 ms of
/// CPU before the first row could move. Any other type still works, by reflection.
/// </summary>
[JsonSerializable(typeof(SchemaPlan))]
[JsonSerializable(typeof(ResumedWork))]
[JsonSerializable(typeof(MigrationInput))]
[JsonSerializable(typeof(PlanRequest))]
[JsonSerializable(typeof(PlanSummary))]
[JsonSerializable(typeof(DdlWork))]
[JsonSerializable(typeof(DdlApplied))]
[JsonSerializable(typeof(ChunkWork))]
[JsonSerializable(typeof(ChunkCopied))]
[JsonSerializable(typeof(AnalyzeWork))]
[JsonSerializable(typeof(TableCopyWork))]
[JsonSerializable(typeof(VerifyWork))]
[JsonSerializable(typeof(LargeObjectWork))]
[JsonSerializable(typeof(TableVerified))]
[JsonSerializable(typeof(MigrationOutcome))]
[JsonSerializable(typeof(WorkflowProgress))]
[JsonSerializable(typeof(PlanOptions))]
internal sealed partial class PrecompiledJson : JsonSerializerContext
{
    /// <summary>The generated code first, reflection for anything else.</summary>
    // Not a static initializer: that could run before the generated part's, while Default is still null.
    public static IJsonTypeInfoResolver Resolver => JsonTypeInfoResolver.Combine(Default, new DefaultJsonTypeInfoResolver());
}
