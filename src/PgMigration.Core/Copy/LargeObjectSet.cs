using System.Globalization;

namespace PgMigration.Core.Copy;

/// <summary>
/// The source's large objects with oids in (<see cref="AfterOid"/>, <see cref="LastOid"/>]: one unit of the
/// data phase and of verification, as a chunk is for a table.
/// </summary>
public sealed record LargeObjectSet(string Id, long AfterOid, long LastOid, long Objects)
{
    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"large objects {Id} ({Objects} with oids {AfterOid + 1} .. {LastOid})");
}
