using PgMigration.Core.Catalog;

namespace PgMigration.Core.Tests;

public class RowEstimateTests
{
    [Theory]
    [InlineData(120000)]
    [InlineData(130011)]
    public void A_table_never_analyzed_before_PostgreSQL_14_has_unknown_rows_not_zero(int version) =>
        Assert.Equal(RowEstimate.Unknown, RowEstimate.Of(version, reltuples: 0, relpages: 0, mainForkBytes: 8192 * 40));

    [Theory]
    [InlineData(120000)]
    [InlineData(130011)]
    public void An_empty_table_before_PostgreSQL_14_has_zero_rows(int version) =>
        Assert.Equal(0, RowEstimate.Of(version, reltuples: 0, relpages: 0, mainForkBytes: 0));

    [Fact]
    public void An_analyzed_table_before_PostgreSQL_14_has_its_reltuples() =>
        Assert.Equal(1234, RowEstimate.Of(130011, reltuples: 1234, relpages: 10, mainForkBytes: 8192 * 10));

    [Fact]
    public void A_table_emptied_and_vacuumed_before_PostgreSQL_14_has_zero_rows() =>
        Assert.Equal(0, RowEstimate.Of(130011, reltuples: 0, relpages: 3, mainForkBytes: 8192 * 3));

    [Theory]
    [InlineData(140000, -1, 0, 8192, RowEstimate.Unknown)]
    [InlineData(150004, 0, 0, 0, 0)]
    [InlineData(150004, 0, 0, 8192, 0)]
    [InlineData(170000, 42, 1, 8192, 42)]
    public void From_PostgreSQL_14_on_reltuples_says_it_all(int version, double reltuples, int relpages, long bytes, long expected) =>
        Assert.Equal(expected, RowEstimate.Of(version, reltuples, relpages, bytes));
}
