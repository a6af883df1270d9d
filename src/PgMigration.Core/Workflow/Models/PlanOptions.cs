using PgMigration.Core.Checkpoints;

namespace PgMigration.Core.Workflow.Models;

/// <summary>
/// What a migration's stored plans were made from. A rerun with the same id (or checkpoints) resumes
/// those plans, so it must ask for the same: a rerun that asks for something else is refused, naming
/// the difference, instead of silently finishing the first job.
/// </summary>
internal sealed record PlanOptions(
    string Source,
    string Target,
    MigrationMode Mode,
    IReadOnlyList<string> Include,
    IReadOnlyList<string> Exclude,
    int? ChunkMegabytes,
    bool SkipExisting,
    bool OwnersAndGrants = false,
    bool Online = false)
{
    public const string DocumentId = "plan-options";

    public static PlanOptions Of(PlanRequest request) =>
        new(request.Source, request.Target, request.Mode, request.Include, request.Exclude, request.ChunkMegabytes, request.SkipExisting, request.OwnersAndGrants, request.Online);

    public static PlanOptions Of(MigrationInput input) =>
        new(input.Source, input.Target, input.Mode, input.Include, input.Exclude, input.ChunkMegabytes, input.SkipExisting, input.OwnersAndGrants, input.Online);

    public static async Task<PlanOptions?> ReadAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        await store.ReadDocumentAsync(DocumentId, cancellationToken) is { } json ? WorkflowJson.Deserialize<PlanOptions>(json) : null;

    public Task StoreAsync(ICheckpointStore store, CancellationToken cancellationToken = default) =>
        store.WriteDocumentAsync(DocumentId, WorkflowJson.Serialize(this), cancellationToken);

    /// <summary>What differs from the options the stored plans were made from, in words; empty when nothing does.</summary>
    public IReadOnlyList<string> DifferencesFrom(PlanOptions stored)
    {
        var differences = new List<string>();
        void Compare(string name, string now, string then)
        {
            if (now != then)
            {
                differences.Add($"{name} {now} (the stored plan has {then})");
            }
        }

        Compare("source", Source, stored.Source);
        Compare("target", Target, stored.Target);
        Compare("mode", Mode.ToString().ToLowerInvariant(), stored.Mode.ToString().ToLowerInvariant());
        Compare("include", List(Include), List(stored.Include));
        Compare("exclude", List(Exclude), List(stored.Exclude));
        Compare("chunk size", ChunkSize(ChunkMegabytes), ChunkSize(stored.ChunkMegabytes));
        Compare("skip existing", SkipExisting ? "on" : "off", stored.SkipExisting ? "on" : "off");
        Compare("owners and grants", OwnersAndGrants ? "on" : "off", stored.OwnersAndGrants ? "on" : "off");
        Compare("online", Online ? "on" : "off", stored.Online ? "on" : "off");
        return differences;
    }

    /// <summary>Refuses when the checkpoints hold plans made from other options; <paramref name="startAfresh"/> says how to begin a new migration instead.</summary>
    public async Task RefuseIfChangedAsync(ICheckpointStore store, string startAfresh, CancellationToken cancellationToken = default)
    {
        if (await ReadAsync(store, cancellationToken) is { } stored && DifferencesFrom(stored) is { Count: > 0 } differences)
        {
            throw new MigrationRefusedException(Changed(differences, startAfresh));
        }
    }

    public static string Changed(IReadOnlyList<string> differences, string startAfresh) =>
        $"This migration was started with other options, and its checkpoints hold the plan made from those: {string.Join("; ", differences)}. " +
        $"Run it again with the options it was started with to resume it, or {startAfresh}.";

    private static string ChunkSize(int? megabytes) => megabytes is { } mb ? $"{mb} MB" : "automatic";

    private static string List(IReadOnlyList<string> patterns) => patterns.Count == 0 ? "(none)" : string.Join(",", patterns);
}
