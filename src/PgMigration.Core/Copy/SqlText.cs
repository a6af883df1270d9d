using System.Text;

namespace PgMigration.Core.Copy;

/// <summary>Quoting for identifiers and literals that must be written into SQL (COPY takes no parameters).</summary>
public static class SqlText
{
    public static string Identifier(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>A string literal that reads back exactly whatever standard_conforming_strings is set to.</summary>
    public static string Literal(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
        }

        var builder = new StringBuilder("E'", value.Length + 8);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '\'' => "''",
                '\\' => "\\\\",
                _ => c.ToString(),
            });
        }

        return builder.Append('\'').ToString();
    }

    public static string TypedLiteral(string value, string typeName) => $"{Literal(value)}::{typeName}";
}
