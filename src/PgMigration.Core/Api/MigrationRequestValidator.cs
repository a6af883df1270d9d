using System.Text.Json;
using System.Text.RegularExpressions;
using PgMigration.Core.Connections;
using PgMigration.Core.Workflow;

namespace PgMigration.Core.Api;

/// <summary>
/// Turns the raw body of <c>POST /api/migrations</c> into a <see cref="MigrationInput"/>, or into a
/// problem that names each bad field and how to fix it. Requests carrying a password or a connection
/// string are refused: connections are referenced by configured name only.
/// </summary>
public sealed partial class MigrationRequestValidator(NamedConnections connections)
{
    private static readonly string[] KnownFields = ["source", "target", "mode", "include", "exclude", "parallelism", "batchSize", "chunkMegabytes", "online", "id"];

    private static readonly string[] SecretFields =
        ["password", "pwd", "passwd", "secret", "token", "accessToken", "connectionString", "connection_string", "sourceConnectionString", "targetConnectionString"];

    /// <summary>The most problems one answer lists, per field and in all.</summary>
    public const int MaxReportedProblems = 20;

    public sealed record Outcome(MigrationInput? Input, ApiProblem? Problem);

    /// <param name="body">The request body as received.</param>
    /// <param name="newId">The id to use when the request names none.</param>
    public Outcome Validate(string? body, string newId)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return Fail("body", "the body is empty. Send JSON like {\"source\":\"source\",\"target\":\"target\",\"mode\":\"all\"}.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return Fail("body", $"the body is not valid JSON ({ex.Message.Split(" Path:")[0]}). Send a JSON object like {{\"source\":\"source\",\"target\":\"target\"}}.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Fail("body", "the body must be a JSON object like {\"source\":\"source\",\"target\":\"target\"}.");
            }

            var errors = new Dictionary<string, string[]>();
            var request = Read(document.RootElement, errors);
            if (errors.Count > 0)
            {
                return Fail(errors);
            }

            return Check(request, newId);
        }
    }

    private static MigrationRequest Read(JsonElement root, Dictionary<string, string[]> errors)
    {
        var request = new MigrationRequest();
        foreach (var property in root.EnumerateObject())
        {
            var name = property.Name;
            if (errors.Count >= MaxReportedProblems)
            {
                // Enough to act on; the rest of a flood of bad fields is not read, let alone echoed.
                break;
            }

            if (SecretFields.Any(s => s.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                errors[BoundedText.Echo(name)] = ["passwords, tokens and connection strings are refused in requests, so that they never reach a workflow input, status or log. " +
                    $"Configure the connection on the host as {AppSettingNames.ConnectionsSection}__<name> and send only that name in 'source' and 'target'."];
                continue;
            }

            var known = KnownFields.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                errors[BoundedText.Echo(name)] = [$"'{BoundedText.Echo(name)}' is not a field of this request. The fields are {string.Join(", ", KnownFields)}."];
                continue;
            }

            var value = property.Value;
            switch (known)
            {
                case "source":
                    request = request with { Source = ReadString(known, value, errors) };
                    break;
                case "target":
                    request = request with { Target = ReadString(known, value, errors) };
                    break;
                case "mode":
                    request = request with { Mode = ReadString(known, value, errors) };
                    break;
                case "id":
                    request = request with { Id = ReadString(known, value, errors) };
                    break;
                case "include":
                    request = request with { Include = ReadStrings(known, value, errors) };
                    break;
                case "exclude":
                    request = request with { Exclude = ReadStrings(known, value, errors) };
                    break;
                case "parallelism":
                    request = request with { Parallelism = ReadInt(known, value, MigrationLimits.MinParallelism, MigrationLimits.MaxParallelism, errors) };
                    break;
                case "batchSize":
                    request = request with { BatchSize = ReadInt(known, value, MigrationLimits.MinBatchSize, MigrationLimits.MaxBatchSize, errors) };
                    break;
                case "online":
                    request = request with { Online = ReadBool(known, value, errors) };
                    break;
                case "chunkMegabytes":
                    request = request with { ChunkMegabytes = ReadInt(known, value, MigrationLimits.MinChunkMegabytes, MigrationLimits.MaxChunkMegabytes, errors) };
                    break;
            }
        }

        return request;
    }

    private Outcome Check(MigrationRequest request, string newId)
    {
        var errors = new Dictionary<string, string[]>();
        CheckConnectionName("source", request.Source, errors);
        CheckConnectionName("target", request.Target, errors);
        if (!errors.ContainsKey("source") && !errors.ContainsKey("target"))
        {
            CheckDistinct(request.Source!, request.Target!, errors);
        }

        var mode = MigrationMode.All;
        if (request.Mode is not null && (!Enum.TryParse(request.Mode, ignoreCase: true, out mode) || int.TryParse(request.Mode, out _)))
        {
            errors["mode"] = [$"'{BoundedText.Echo(request.Mode)}' is not a mode. Use \"all\" (schema and data), \"schema\" or \"data\"."];
        }

        if (request.Online == true && mode == MigrationMode.Schema)
        {
            errors["online"] = ["an online migration follows the source's rows: use it with mode \"all\" or \"data\", or leave 'online' out for a schema migration."];
        }

        foreach (var (field, patterns) in new[] { ("include", request.Include), ("exclude", request.Exclude) })
        {
            var problems = (patterns ?? []).Select(p => TablePatternSyntax.Problem(field, p)).OfType<string>().ToList();
            if (problems.Count > 0)
            {
                errors[field] = Bounded(problems);
            }
        }

        if (request.Id is not null && !IdPattern().IsMatch(request.Id))
        {
            errors["id"] = [$"'{BoundedText.Echo(request.Id)}' is not a valid migration id. Use 1 to {MigrationLimits.MaxIdLength} letters, digits, '-' or '_', starting with a letter or digit; leave it out for a new migration."];
        }

        if (errors.Count > 0)
        {
            return Fail(errors);
        }

        return new Outcome(
            new MigrationInput
            {
                Id = request.Id ?? newId,
                Source = request.Source!,
                Target = request.Target!,
                Mode = mode,
                Include = request.Include ?? [],
                Exclude = request.Exclude ?? [],
                Parallelism = request.Parallelism ?? MigrationLimits.DefaultParallelism,
                BatchSize = request.BatchSize ?? MigrationLimits.DefaultBatchSize,
                ChunkMegabytes = request.ChunkMegabytes,
                Online = request.Online ?? false,
            },
            null);
    }

    private void CheckConnectionName(string field, string? name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors[field] = [$"'{field}' is required: the name of a configured connection ({Known()})."];
        }
        else if (LooksLikeConnectionString(name))
        {
            errors[field] = [$"'{field}' looks like a connection string or URL; raw connection strings are refused so that no password travels in a request. " +
                $"Configure it on the host as {AppSettingNames.ConnectionsSection}__<name> and send the name ({Known()})."];
        }
        else if (name.Length > MigrationLimits.MaxConnectionNameLength)
        {
            errors[field] = [$"'{field}' is {name.Length} characters long; a connection name has at most {MigrationLimits.MaxConnectionNameLength}. Send the name of a configured connection ({Known()})."];
        }
        else if (!connections.Contains(name))
        {
            errors[field] = [$"no connection is named '{BoundedText.Echo(name)}'. Configured: {Known()}. Add the setting {AppSettingNames.ConnectionsSection}__{BoundedText.Echo(name)} on the host, or use one of those names."];
        }
    }

    private void CheckDistinct(string source, string target, Dictionary<string, string[]> errors)
    {
        const string Fix = "Point 'target' at a different server or database.";
        if (source.Equals(target, StringComparison.OrdinalIgnoreCase))
        {
            errors["target"] = [$"'target' is the same connection as 'source' ('{BoundedText.Echo(source)}'). {Fix}"];
            return;
        }

        ConnectionSpec from, to;
        try
        {
            from = connections.Resolve(source);
            to = connections.Resolve(target);
        }
        catch (InvalidConnectionException ex)
        {
            errors["connections"] = [ex.Message];
            return;
        }

        if (SameDatabase(from, to))
        {
            errors["target"] = [$"'{target}' and '{source}' both point at {from.Display}; migrating a database onto itself would destroy it. {Fix}"];
        }
    }

    private static bool SameDatabase(ConnectionSpec a, ConnectionSpec b) =>
        string.Equals(a.Builder.Host, b.Builder.Host, StringComparison.OrdinalIgnoreCase)
        && a.Builder.Port == b.Builder.Port
        && string.Equals(a.Builder.Database ?? a.Builder.Username, b.Builder.Database ?? b.Builder.Username, StringComparison.Ordinal);

    private string Known() => connections.Names.Count == 0 ? "none are configured" : string.Join(", ", connections.Names);

    private static bool LooksLikeConnectionString(string value) =>
        value.Contains("://", StringComparison.Ordinal) || value.Contains('=') || value.Contains(';') || value.Contains('@');

    private static string? ReadString(string field, JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[field] = [$"'{field}' must be a string, not {Describe(value.ValueKind)}."];
            return null;
        }

        return value.GetString();
    }

    private static List<string>? ReadStrings(string field, JsonElement value, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            errors[field] = [$"'{field}' must be an array of patterns like [\"sales\", \"public.order_*\"]."];
            return null;
        }

        var count = value.GetArrayLength();
        if (count > MigrationLimits.MaxPatterns)
        {
            errors[field] = [$"'{field}' has {count} patterns; a request takes at most {MigrationLimits.MaxPatterns} (MigrationLimits.MaxPatterns). " +
                "Cover many tables with one pattern: a schema (\"sales\") or a wildcard (\"sales.order_*\"), or turn an exclude list into an include list."];
            return null;
        }

        var tooLong = value.EnumerateArray().Select(v => v.GetString()!).Where(p => p.Length > MigrationLimits.MaxPatternLength).ToList();
        if (tooLong.Count > 0)
        {
            errors[field] = Bounded(tooLong.Select(p =>
                $"'{field}' has a pattern of {p.Length} characters ('{BoundedText.Echo(p)}'); a pattern has at most {MigrationLimits.MaxPatternLength} (MigrationLimits.MaxPatternLength). " +
                "PostgreSQL names are at most 63 bytes: write schema or schema.table, with * and ? as wildcards.").ToList());
            return null;
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private static bool? ReadBool(string field, JsonElement value, Dictionary<string, string[]> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True or JsonValueKind.False:
                return value.GetBoolean();
            default:
                errors[field] = [$"'{field}' must be true or false, not {Describe(value.ValueKind)}."];
                return null;
        }
    }

    private static int? ReadInt(string field, JsonElement value, int min, int max, Dictionary<string, string[]> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max)
        {
            return number;
        }

        var given = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Describe(value.ValueKind);
        errors[field] = [$"'{field}' is {given}; it must be a whole number from {min} to {max}."];
        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    // A long list of problems with the same cause says no more than its first few.
    private static string[] Bounded(List<string> problems) =>
        problems.Count <= MaxReportedProblems
            ? [.. problems]
            : [.. problems.Take(MaxReportedProblems), $"... and {problems.Count - MaxReportedProblems} more like these."];

    private static Outcome Fail(string field, string message) => new(null, ApiProblem.BadRequest(field, message));

    private static Outcome Fail(Dictionary<string, string[]> errors) => new(null, new ApiProblem
    {
        Type = "https://datatracker.ietf.org/doc/html/rfc9110#section-15.5.1",
        Title = "The request is not valid.",
        Status = 400,
        Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
        Errors = errors,
    });

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();
}
