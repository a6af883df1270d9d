namespace PgMigration.Testing;

/// <summary>The Azurite blob service scripts/test.sh starts (PGMIGRATE_TEST_AZURITE_BLOB); without it, tests fail loudly.</summary>
public static class Azurite
{
    public const string EnvironmentVariable = "PGMIGRATE_TEST_AZURITE_BLOB";

    // Azurite's published development account key (not a secret).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>http://127.0.0.1:PORT/devstoreaccount1</summary>
    public static string Endpoint =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } endpoint
            ? endpoint.TrimEnd('/')
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set: run the tests with scripts/test.sh, which installs and starts Azurite.");

    public static string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint={Endpoint};";
}
