using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PgMigration.Core.Dashboard;

namespace PgMigration.Functions;

/// <summary>
/// The dashboard at <c>/api/dashboard</c> (host.json's routePrefix keeps every function under /api), with its
/// script and stylesheet under the same path, as <c>pgmigrate serve</c> serves them.
/// </summary>
public static class DashboardFunction
{
    [Function("Dashboard")]
    public static IResult Serve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{*asset}")] HttpRequest request,
        string? asset) =>
        DashboardHttp.Serve(asset);
}
