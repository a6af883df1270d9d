using PgMigration.Core.Api;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Tests.Api;

public class MigrationStatusTests
{
    [Fact]
    public void Only_a_failure_a_rerun_can_fix_is_followed_by_the_advice_to_start_again()
    {
        var failed = new MigrationRun { InstanceId = "m-1", RuntimeStatus = MigrationRuntimeStatus.Failed, Failure = "Copying chunk 1 failed." };
        var mismatch = failed with { Failure = "Verification found 1 table(s) that differ.", FailureKind = MigrationFailureKind.VerificationMismatch };

        Assert.Contains("start the migration again with the same id", MigrationStatus.From(failed, []).Errors.Single(), StringComparison.Ordinal);
        Assert.Equal("Verification found 1 table(s) that differ.", MigrationStatus.From(mismatch, []).Errors.Single());
    }
}
