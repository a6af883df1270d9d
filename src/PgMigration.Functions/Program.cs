using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using PgMigration.Functions;

var builder = FunctionsApplication.CreateBuilder(args);

// ASP.NET Core integration: the HTTP functions take HttpRequest and answer IResult, as pgmigrate serve does.
builder.ConfigureFunctionsWebApplication();
builder.Services.AddMigrationServices(builder.Configuration);

builder.Build().Run();
