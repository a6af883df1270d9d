namespace PgMigration.Cli.Tests;

public class CliUsageTests
{
    [Fact]
    public async Task Unknown_verb_is_bad_usage_with_exit_code_2()
    {
        Assert.Equal(ExitCodes.BadUsage, await PgMigrateCommand.RunAsync(["frobnicate"]));
    }

    [Fact]
    public async Task About_succeeds()
    {
        Assert.Equal(ExitCodes.Success, await PgMigrateCommand.RunAsync(["about"]));
    }
}
