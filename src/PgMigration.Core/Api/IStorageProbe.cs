namespace PgMigration.Core.Api;

/// <summary>Checks that the checkpoint storage a host uses can be reached and written.</summary>
public interface IStorageProbe
{
    /// <summary>Returns what was checked (e.g. the container), throws when it is not usable.</summary>
    Task<string> CheckAsync(CancellationToken cancellationToken = default);
}
