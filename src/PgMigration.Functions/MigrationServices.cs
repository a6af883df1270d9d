using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PgMigration.Core.Workflow;

namespace PgMigration.Functions;

/// <summary>The app's services, registered the same way by Program and by the tests that run its functions.</summary>
public static class MigrationServices
{
    /// <summary>Connections, checkpoint storage and the activities, from app settings (AppSettingNames), read once.</summary>
    public static IServiceCollection AddMigrationServices(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(provider => MigrationEnvironment.FromConfiguration(
            configuration,
            configure: options => options with { LoggerFactory = provider.GetRequiredService<ILoggerFactory>() }));
}
