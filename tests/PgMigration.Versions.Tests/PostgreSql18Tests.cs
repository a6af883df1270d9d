namespace PgMigration.Versions.Tests;

/// <summary>What PostgreSQL 18 changed, each on its own, on the 18 server of the matrix.</summary>
public class PostgreSql18Tests
{
    private static readonly VersionPair OnEighteen = new(18, 18);

    [Fact]
    public async Task Verification_compares_the_values_of_virtual_generated_columns()
    {
        await using var source = await VersionServers.CreateDatabaseAsync(18, OnEighteen, "virt_src");
        await using var target = await VersionServers.CreateDatabaseAsync(18, OnEighteen, "virt_dst");
        await source.ExecuteAsync("""
            CREATE TABLE prices (id int PRIMARY KEY, net numeric NOT NULL, gross numeric GENERATED ALWAYS AS (net * 1.2) VIRTUAL);
            INSERT INTO prices (id, net) SELECT g, g FROM generate_series(1, 100) g;
            """);
        var (migrated, checkpoints) = await PgMigrate.MigrateAsync(source.ConnectionString, target.ConnectionString);
        Assert.True(migrated.ExitCode == 0, $"exit {migrated.ExitCode}\n{migrated.Output}\n{migrated.Error}");
        Directory.Delete(checkpoints, recursive: true);
        Assert.Equal("v", await target.ScalarAsync<string>("SELECT attgenerated::text FROM pg_attribute WHERE attrelid = 'prices'::regclass AND attname = 'gross'"));

        // Same stored rows, other values for readers: verification must see it.
        await target.ExecuteAsync("ALTER TABLE prices ALTER COLUMN gross SET EXPRESSION AS (net * 1.3)");
        var verify = await PgMigrate.RunAsync("verify", "--source", source.ConnectionString, "--target", target.ConnectionString);

        Assert.True(verify.ExitCode == 1, $"exit {verify.ExitCode}\n{verify.Output}\n{verify.Error}");
        Assert.Contains("public.prices", verify.Output + verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_null_constraints_keep_their_names_no_inherit_and_not_valid()
    {
        await using var source = await VersionServers.CreateDatabaseAsync(18, OnEighteen, "nn_src");
        await using var target = await VersionServers.CreateDatabaseAsync(18, OnEighteen, "nn_dst");
        await source.ExecuteAsync("""
            CREATE TABLE parent (id int CONSTRAINT parent_id_required NOT NULL, local_only int CONSTRAINT local_only_required NOT NULL NO INHERIT, code text);
            CREATE TABLE copied (LIKE parent);
            INSERT INTO parent VALUES (1, 1, NULL);
            ALTER TABLE parent ADD CONSTRAINT parent_code_required NOT NULL code NOT VALID;
            CREATE TABLE measures (id int NOT NULL, taken date NOT NULL) PARTITION BY RANGE (taken);
            CREATE TABLE measures_2024 PARTITION OF measures FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE measures_2025 (id int CONSTRAINT m2025_id NOT NULL, taken date NOT NULL);
            ALTER TABLE measures ATTACH PARTITION measures_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            """);

        var (migrated, checkpoints) = await PgMigrate.MigrateAsync(source.ConnectionString, target.ConnectionString);

        Assert.True(migrated.ExitCode == 0, $"exit {migrated.ExitCode}\n{migrated.Output}\n{migrated.Error}");
        Directory.Delete(checkpoints, recursive: true);
        const string constraints = """
            SELECT string_agg(format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)), E'\n' ORDER BY conrelid::regclass::text, conname)
            FROM pg_constraint WHERE contype = 'n' AND connamespace = 'public'::regnamespace
            """;
        Assert.Equal(await source.ScalarAsync<string>(constraints), await target.ScalarAsync<string>(constraints));
        Assert.Equal(1L, await target.ScalarAsync<long>("SELECT count(*) FROM parent WHERE code IS NULL"));
    }

    [Fact]
    public async Task Not_null_constraint_names_of_the_full_63_bytes_keep_their_names()
    {
        await using var source = await VersionServers.CreateDatabaseAsync(18, OnEighteen, "nn63_src");
        await using var target = await VersionServers.CreateDatabaseAsync(18, OnEighteen, "nn63_dst");
        // Names the server truncates (table_column_not_null of more than 63 bytes), a 63-byte name given
        // explicitly, multibyte names cut at a character boundary, and partitions that inherit them.
        await source.ExecuteAsync("""
            CREATE TABLE a_table_whose_name_is_long_enough_to_matter (
                a_column_whose_name_is_long_enough_to_matter_too int NOT NULL,
                another_column_whose_name_is_long_enough_to_matter int NOT NULL,
                explicit int CONSTRAINT a_constraint_name_of_exactly_sixty_three_bytes_in_length_abcdef NOT NULL,
                "größe_größe_größe_größe_größe_größe" int NOT NULL);
            CREATE TABLE "täbelle_mit_einem_namen_der_lang_genug_ist_für_das" (
                "spalte_mit_einem_namen_der_lang_genug_ist_für_das_äöü" int NOT NULL) PARTITION BY RANGE ("spalte_mit_einem_namen_der_lang_genug_ist_für_das_äöü");
            CREATE TABLE "täbelle_mit_einem_namen_der_lang_genug_ist_für_das_eins" PARTITION OF "täbelle_mit_einem_namen_der_lang_genug_ist_für_das" FOR VALUES FROM (0) TO (100);
            INSERT INTO a_table_whose_name_is_long_enough_to_matter VALUES (1, 2, 3, 4);
            INSERT INTO "täbelle_mit_einem_namen_der_lang_genug_ist_für_das" VALUES (5);
            """);

        var (migrated, checkpoints) = await PgMigrate.MigrateAsync(source.ConnectionString, target.ConnectionString);

        Assert.True(migrated.ExitCode == 0, $"exit {migrated.ExitCode}\n{migrated.Output}\n{migrated.Error}");
        Directory.Delete(checkpoints, recursive: true);
        const string constraints = """
            SELECT string_agg(format('%s %s %s', conrelid::regclass, conname, octet_length(conname::text)), E'\n' ORDER BY conrelid::regclass::text, conname)
            FROM pg_constraint WHERE contype = 'n' AND connamespace = 'public'::regnamespace
            """;
        var expected = await source.ScalarAsync<string>(constraints);
        Assert.Contains(" 63", expected, StringComparison.Ordinal);
        Assert.Equal(expected, await target.ScalarAsync<string>(constraints));
        Assert.Equal(await NewestClient.DumpAsync(source.ConnectionString), await NewestClient.DumpAsync(target.ConnectionString));
    }

    [Fact]
    public async Task Builtin_collations_keep_their_provider_and_locale()
    {
        await using var source = await VersionServers.CreateDatabaseAsync(18, OnEighteen, "coll_src");
        await using var target = await VersionServers.CreateDatabaseAsync(18, OnEighteen, "coll_dst");
        await source.ExecuteAsync("CREATE COLLATION unicode_c (provider = builtin, locale = 'C.UTF-8'); CREATE TABLE words (w text COLLATE unicode_c);");

        var (migrated, checkpoints) = await PgMigrate.MigrateAsync(source.ConnectionString, target.ConnectionString);

        Assert.True(migrated.ExitCode == 0, $"exit {migrated.ExitCode}\n{migrated.Output}\n{migrated.Error}");
        Directory.Delete(checkpoints, recursive: true);
        const string collation = "SELECT collprovider::text || ' ' || colllocale FROM pg_collation WHERE collname = 'unicode_c'";
        Assert.Equal("b C.UTF-8", await target.ScalarAsync<string>(collation));
    }
}
