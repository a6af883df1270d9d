using System.Security.Cryptography;
using System.Text;
using PgMigration.Core.Connections;

namespace PgMigration.Cli.Commands;

/// <summary>Where `migrate` keeps its checkpoints when --checkpoints is not given: one folder per pair of databases.</summary>
internal static class CheckpointFolder
{
    public static string Default(ConnectionSpec source, ConnectionSpec target)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{source.Display}\n{target.Display}")))[..10];
        return Path.Combine(Environment.CurrentDirectory, ".pgmigrate", $"{Slug(source.Builder.Database)}-to-{Slug(target.Builder.Database)}-{id}");
    }

    private static string Slug(string? name) =>
        new((name ?? "db").Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(40).ToArray());
}
