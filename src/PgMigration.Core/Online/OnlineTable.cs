namespace PgMigration.Core.Online;

/// <summary>
/// A table the online migration follows: the columns its changes carry (in the order pgoutput sends them)
/// and the columns that address a row in updates and deletes (its primary key or replica identity index).
/// </summary>
public sealed record OnlineTable(string Schema, string Name, IReadOnlyList<string> Columns, IReadOnlyList<uint> ColumnTypes, IReadOnlyList<string> KeyColumns)
{
    public string DisplayName => $"{Schema}.{Name}";
}
