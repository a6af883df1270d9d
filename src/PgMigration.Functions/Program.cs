using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PgMigration.Core.Workflow;

var builder = FunctionsApplication.CreateBuilder(args);

// Connections, checkpoint storage and the activities come from app settings (AppSettingNames), read once.
builder.Services.AddSingleton(services => MigrationEnvironment.FromConfiguration(
    builder.Configuration,
    configure: options => options with { LoggerFactory = services.GetRequiredService<ILoggerFactory>() }));

builder.Build().Run();
