using PgMigration.Cli;

// A copy moves one server message per row through two sockets. By default each socket completion hops from
// the runtime's I/O thread to a thread-pool thread, and on a machine the servers keep busy that hand-off
// (thread wake-ups, spinning) cost more CPU than the copy itself. Run here, continuations stay on the I/O
// thread; nothing in this process blocks on I/O from a continuation, which is what this setting requires.
// Read once, when the first socket is made: a value the user set wins.
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
}

return await PgMigrateCommand.RunAsync(args);
