namespace PgMigration.Core.Online;

/// <summary>An update or delete from the source found no row on the target: the target no longer is the source's copy.</summary>
internal sealed class TargetDivergedException(string message) : Exception(message);
