using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PgMigration.Functions.Tests.Hosting;

/// <summary>
/// The Functions app's own methods, found by their [Function] attributes, as Durable tasks: what the
/// Durable extension does for the Functions host, here for the worker of the test engine. The methods run
/// unchanged; their trigger parameter gets the context or input, and any CancellationToken the host's.
/// </summary>
internal static class FunctionAdapters
{
    public static IEnumerable<(string Name, MethodInfo Method)> Functions(Assembly app) =>
        app.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance))
            .Select(method => (method.GetCustomAttribute<FunctionAttribute>()?.Name, method))
            .Where(f => f.Name is not null)
            .Select(f => (f.Name!, f.method));

    public static bool Has<TAttribute>(MethodInfo method)
        where TAttribute : Attribute =>
        method.GetParameters().Any(p => p.GetCustomAttribute<TAttribute>() is not null);

    public static void Register(DurableTaskRegistry registry, Assembly app)
    {
        foreach (var (name, method) in Functions(app))
        {
            if (Has<OrchestrationTriggerAttribute>(method))
            {
                registry.AddOrchestrator(name, () => new Orchestrator(method));
            }
            else if (Has<ActivityTriggerAttribute>(method))
            {
                registry.AddActivity(name, services => new Activity(method, services));
            }
        }
    }

    /// <summary>Awaits a function's Task&lt;T&gt; and returns its T.</summary>
    public static async Task<object?> ResultOfAsync(object? returned)
    {
        if (returned is not Task task)
        {
            return returned;
        }

        await task;
        return task.GetType().GetProperty("Result")?.GetValue(task);
    }

    private static Type ResultType(MethodInfo method) =>
        method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
            ? method.ReturnType.GetGenericArguments()[0]
            : method.ReturnType;

    private sealed class Orchestrator(MethodInfo method) : ITaskOrchestrator
    {
        // The input is the first parameter without a binding attribute, as the Durable extension binds it.
        private readonly ParameterInfo? input = method.GetParameters().FirstOrDefault(p => !p.GetCustomAttributes().Any());

        public Type InputType => input?.ParameterType ?? typeof(object);

        public Type OutputType => ResultType(method);

        public Task<object?> RunAsync(TaskOrchestrationContext context, object? value) =>
            ResultOfAsync(method.Invoke(null, [.. method.GetParameters().Select(p => p == input ? value : context)]));
    }

    private sealed class Activity(MethodInfo method, IServiceProvider services) : ITaskActivity
    {
        private readonly ParameterInfo trigger = method.GetParameters().Single(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);

        public Type InputType => trigger.ParameterType;

        public Type OutputType => ResultType(method);

        public Task<object?> RunAsync(TaskActivityContext context, object? input)
        {
            var target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
            var stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            return ResultOfAsync(method.Invoke(target, [.. method.GetParameters().Select(p => p == trigger ? input : p.ParameterType == typeof(CancellationToken) ? stopping : (object?)context)]));
        }
    }
}
