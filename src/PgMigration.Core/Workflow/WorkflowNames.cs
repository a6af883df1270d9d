namespace PgMigration.Core.Workflow;

/// <summary>The registered names of workflows and activities: both hosts register exactly these.</summary>
public static class WorkflowNames
{
    public const string Migration = "MigrationWorkflow";
    public const string TableCopy = "TableCopyWorkflow";
    public const string Follow = "FollowWorkflow";

    public const string Plan = "PlanMigration";
    public const string ApplyPreData = "ApplyPreData";
    public const string CopyChunk = "CopyChunk";
    public const string CopySmallTables = "CopySmallTables";
    public const string ApplyPostDataStep = "ApplyPostDataStep";
    public const string AnalyzeTable = "AnalyzeTable";
    public const string Finish = "FinishMigration";
    public const string VerifyTable = "VerifyTable";
    public const string CopyLargeObjects = "CopyLargeObjects";
    public const string VerifyLargeObjects = "VerifyLargeObjects";
    public const string StartOnline = "StartOnline";
    public const string FollowChanges = "FollowChanges";
    public const string CutOver = "CutOver";
}
