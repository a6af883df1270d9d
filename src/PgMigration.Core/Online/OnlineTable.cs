using PgMigration.Core.Catalog;

namespace PgMigration.Core.Online;

/// <summary>
/// A table the online migration follows: the columns its changes carry (in the order pgoutput sends them)
/// and the columns that address a row in updates and deletes (its primary key or replica identity index).
/// </summary>
public sealed record OnlineTable(string Schema, string Name, IReadOnlyList<string> Columns, IReadOnlyList<uint> ColumnTypes, IReadOnlyList<string> KeyColumns)
{
    /// <summary>As the user would write it in SQL: <c>x."a.b"</c> and <c>"x.a".b</c> stay two tables in messages.</summary>
    public string DisplayName => SqlText.Qualified(Schema, Name);
}
