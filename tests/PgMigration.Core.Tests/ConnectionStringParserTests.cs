using PgMigration.Core.Connections;

namespace PgMigration.Core.Tests;

public class ConnectionStringParserTests
{
    [Fact]
    public void Libpq_url_with_everything_maps_to_npgsql_keywords()
    {
        var b = ConnectionStringParser.Parse("postgresql://alice:s%40cret@db.example.com:6432/sales%20db?sslmode=verify-full&application_name=mig");
        Assert.Equal("db.example.com", b.Host);
        Assert.Equal(6432, b.Port);
        Assert.Equal("sales db", b.Database);
        Assert.Equal("alice", b.Username);
        Assert.Equal("s@cret", b.Password);
        Assert.Equal(Npgsql.SslMode.VerifyFull, b.SslMode);
        Assert.Equal("mig", b.ApplicationName);
    }

    [Fact]
    public void Ipv6_hosts_and_multiple_hosts_are_understood()
    {
        var ipv6 = ConnectionStringParser.Parse("postgres://u@[::1]:5433/d");
        Assert.Equal(("::1", 5433), (ipv6.Host, ipv6.Port));
        Assert.Equal("a:1,b:2", ConnectionStringParser.Parse("postgresql://u@a:1,b:2/d").Host);
    }

    [Fact]
    public void Npgsql_keyword_strings_pass_through()
    {
        var b = ConnectionStringParser.Parse("Host=h;Port=5433;Database=d;Username=u");
        Assert.Equal(("h", 5433, "d", "u"), (b.Host, b.Port, b.Database, b.Username));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("just some words", "neither")]
    [InlineData("postgresql://u@h:99999/d", "port")]
    [InlineData("postgresql://u@h/d?sslmode=sometimes", "sslmode")]
    [InlineData("postgresql://u@h/d?frobnicate=1", "frobnicate")]
    [InlineData("Hostt=h;Database=d", "malformed")]
    [InlineData("postgresql:///d", "no host")]
    public void Malformed_connections_are_refused_with_a_message_naming_the_problem(string connection, string expected)
    {
        var ex = Assert.Throws<InvalidConnectionException>(() => ConnectionStringParser.Parse(connection));
        Assert.Contains(expected, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Errors_and_displays_never_show_the_password()
    {
        var ex = Assert.Throws<InvalidConnectionException>(() => ConnectionStringParser.Parse("postgresql://u:TopSecret@h:0/d"));
        Assert.DoesNotContain("TopSecret", ex.Message);
        var b = ConnectionStringParser.Parse("postgresql://u:TopSecret@h/d");
        Assert.DoesNotContain("TopSecret", ConnectionDisplay.Describe(b));
        Assert.DoesNotContain("TopSecret", ConnectionDisplay.Mask(b));
        Assert.DoesNotContain("TopSecret", ConnectionSpec.Parse("source", "postgresql://u:TopSecret@h/d").ToString());
    }

    [Fact]
    public void Entra_marker_selects_token_authentication_and_forces_verified_tls()
    {
        var spec = ConnectionSpec.Parse("target", "postgresql://app-id@srv.postgres.database.azure.com/db?auth=entra&client_id=1234");
        Assert.Equal(AuthenticationKind.EntraId, spec.Authentication);
        Assert.Equal("1234", spec.ManagedIdentityClientId);
        Assert.Equal(Npgsql.SslMode.VerifyFull, spec.Builder.SslMode);

        var keyword = ConnectionSpec.Parse("t", "Host=h;Database=d;Username=u;Auth=Entra");
        Assert.Equal(AuthenticationKind.EntraId, keyword.Authentication);
    }
}
