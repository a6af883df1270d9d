using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PgMigration.Core.Workflow;

var builder = FunctionsApplication.CreateBuilder(args);

// Connections, checkpoint storage and the activities come from app settings (AppSettingNames), read once.
builder.Services.AddSingleton(services => MigrationEnvironment.FromConfiguration(builder.Configuration));

builder.Build().Run();
