namespace PgMigration.Testing;

/// <summary>
/// The Azurite services scripts/test.sh starts (PGMIGRATE_TEST_AZURITE_BLOB, _QUEUE and _TABLE); without
/// them, tests fail loudly.
/// </summary>
public static class Azurite
{
    public const string EnvironmentVariable = "PGMIGRATE_TEST_AZURITE_BLOB";

    // Azurite's published development account key (not a secret).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The blob service: http://127.0.0.1:PORT/devstoreaccount1</summary>
    public static string Endpoint => Service(EnvironmentVariable);

    public static string QueueEndpoint => Service("PGMIGRATE_TEST_AZURITE_QUEUE");

    public static string TableEndpoint => Service("PGMIGRATE_TEST_AZURITE_TABLE");

    /// <summary>The blob service alone, for checkpoints.</summary>
    public static string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint={Endpoint};";

    /// <summary>Blob, queue and table, as the Durable Azure Storage backend uses them.</summary>
    public static string FullConnectionString =>
        $"{ConnectionString}QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    private static string Service(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } endpoint
            ? endpoint.TrimEnd('/')
            : throw new InvalidOperationException(
                $"{variable} is not set: run the tests with scripts/test.sh, which installs and starts Azurite.");
}
