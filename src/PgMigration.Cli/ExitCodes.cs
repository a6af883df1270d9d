namespace PgMigration.Cli;

public static class ExitCodes
{
    public const int Success = 0;
    public const int MigrationFailed = 1;
    public const int BadUsage = 2;
}
