using PgMigration.Cli;

return await PgMigrateCommand.RunAsync(args);
