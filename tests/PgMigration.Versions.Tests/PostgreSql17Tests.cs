namespace PgMigration.Versions.Tests;

/// <summary>What PostgreSQL 17 changed, each on its own, on the 17 server of the matrix.</summary>
public class PostgreSql17Tests
{
    private static readonly VersionPair OnSeventeen = new(17, 17);

    private const string BuiltinDefault = "LOCALE_PROVIDER builtin BUILTIN_LOCALE 'C.UTF-8'";

    [Fact]
    public async Task A_database_whose_default_collation_is_the_builtin_provider_migrates_with_its_text_semantics()
    {
        await using var source = await VersionServers.CreateDatabaseAsync(17, OnSeventeen, "bdef_src", BuiltinDefault);
        await using var target = await VersionServers.CreateDatabaseAsync(17, OnSeventeen, "bdef_dst", BuiltinDefault);
        await source.ExecuteAsync("""
            CREATE TABLE words (id int PRIMARY KEY, w text NOT NULL, c text COLLATE "C", u text COLLATE pg_catalog.pg_c_utf8, b text COLLATE pg_catalog.ucs_basic);
            INSERT INTO words SELECT g, (ARRAY['straße', 'Ǆemal', 'école', 'Zebra', 'apple', 'ǅ'])[1 + g % 6] || g, 'c' || g, 'ǉ' || g, 'B' || g FROM generate_series(1, 600) g;
            CREATE INDEX words_w ON words (w);
            CREATE INDEX words_upper ON words (upper(w));
            CREATE VIEW shouted AS SELECT id, upper(w) AS w, initcap(u) AS u FROM words;
            """);

        var (migrated, checkpoints) = await PgMigrate.MigrateAsync(source.ConnectionString, target.ConnectionString);

        Assert.True(migrated.ExitCode == 0, $"exit {migrated.ExitCode}\n{migrated.Output}\n{migrated.Error}");
        Directory.Delete(checkpoints, recursive: true);
        Assert.Equal(await NewestClient.DumpAsync(source.ConnectionString), await NewestClient.DumpAsync(target.ConnectionString));
        const string Semantics = "SELECT string_agg(w || '|' || u, ',' ORDER BY w) FROM shouted";
        Assert.Equal(await source.ScalarAsync<string>(Semantics), await target.ScalarAsync<string>(Semantics));
    }
}
