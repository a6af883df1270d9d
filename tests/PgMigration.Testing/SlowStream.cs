namespace PgMigration.Testing;

/// <summary>
/// A table of about 1 KB a row that streams for seconds in one batch: <c>public.readings</c>
/// on the source, and on the target the same table with a check that sleeps a millisecond on every eighth row.
/// A batch then holds far more than the socket buffers between the servers, so what the copy has streamed
/// can be watched rising while it runs.
/// </summary>
public static class SlowStream
{
    public const string Schema = "CREATE TABLE public.readings (id bigint PRIMARY KEY, payload text NOT NULL);";

    /// <summary><paramref name="rows"/> rows of about 1 KB for <see cref="Schema"/>, analyzed.</summary>
    public static string Rows(int rows) =>
        $"INSERT INTO public.readings SELECT g, repeat(md5(g::text), 32) FROM generate_series(1, {rows}) g; ANALYZE public.readings;";

    public static Task CreateSourceAsync(TestDatabase source, int rows) => source.ExecuteAsync($"{Schema}\n{Rows(rows)}");

    /// <summary>The target table, empty, slow to accept rows.</summary>
    public static Task CreateTargetAsync(TestDatabase target) => target.ExecuteAsync($"""
        {SlowCheckFunction}
        CREATE TABLE public.readings (id bigint PRIMARY KEY CHECK (public.slowly_true(id)), payload text NOT NULL);
        """);

    /// <summary>Makes an existing target table slow to accept rows.</summary>
    public static Task SlowDownAsync(TestDatabase target) => target.ExecuteAsync($"""
        {SlowCheckFunction}
        ALTER TABLE public.readings ADD CHECK (public.slowly_true(id));
        """);

    // SQL, not PL/pgSQL: nothing to load into the server.
    private const string SlowCheckFunction =
        "CREATE FUNCTION public.slowly_true(bigint) RETURNS boolean IMMUTABLE LANGUAGE sql AS $$SELECT $1 % 8 <> 0 OR (SELECT true FROM pg_sleep(0.001))$$;";
}
