using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PgMigration.Infra.Tests.Arm;

/// <summary>
/// Evaluates a compiled ARM template (what `bicep build` writes) for given parameters, the way Resource
/// Manager would before deploying: conditions, parameters, variables, nested module deployments and
/// their outputs. Values only Azure knows at deployment stay symbolic (<see cref="DeploymentTimeValue"/>).
/// Functions it does not know make it throw, so a template change never passes unexamined.
/// </summary>
public sealed class TemplateEvaluator
{
    private readonly JsonObject _template;
    private readonly DeploymentContext _context;
    private readonly string _module;
    private readonly string? _resourceGroup;
    private readonly Dictionary<string, object?> _parameters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, object?> _variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _variablesInProgress = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, EvaluatedDeployment?> _modules = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _modulesInProgress = new(StringComparer.OrdinalIgnoreCase);

    private TemplateEvaluator(JsonObject template, IReadOnlyDictionary<string, object?> parameters, DeploymentContext context, string module, string? resourceGroup)
    {
        _template = template;
        _context = context;
        _module = module;
        _resourceGroup = resourceGroup;
        foreach (var (name, definition) in template["parameters"]?.AsObject() ?? [])
        {
            if (parameters.TryGetValue(name, out var value))
            {
                _parameters[name] = value;
            }
            else if (definition!.AsObject().TryGetPropertyValue("defaultValue", out var defaultValue))
            {
                _parameters[name] = Evaluate(defaultValue);
            }
            else
            {
                throw new InvalidOperationException($"Module '{module}': parameter '{name}' has no value and no default.");
            }
        }

        foreach (var (name, definition) in template["parameters"]?.AsObject() ?? [])
        {
            Validate(name, definition!.AsObject(), _parameters[name]);
        }

        var unknown = parameters.Keys.Where(k => !_parameters.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"Module '{module}' declares no parameter {string.Join(", ", unknown)}.");
        }
    }

    /// <summary>Evaluates <paramref name="template"/> with <paramref name="parameters"/> (name to value).</summary>
    public static EvaluatedDeployment Evaluate(JsonObject template, IReadOnlyDictionary<string, object?> parameters, DeploymentContext? context = null)
    {
        context ??= new DeploymentContext();
        var schema = template["$schema"]?.GetValue<string>() ?? "";
        var resourceGroup = schema.Contains("deploymentTemplate.json", StringComparison.OrdinalIgnoreCase) ? context.ResourceGroup : null;
        return new TemplateEvaluator(template, parameters, context, "main", resourceGroup).EvaluateDeployment();
    }

    /// <summary>The checks Resource Manager makes on parameter values before it deploys anything.</summary>
    private void Validate(string name, JsonObject definition, object? value)
    {
        if (value is DeploymentTimeValue)
        {
            return;
        }

        var problem = (value, definition) switch
        {
            _ when definition["allowedValues"] is JsonArray allowed && !allowed.Any(a => Render(Evaluate(a)) == Render(value))
                => $"'{Render(value)}' is not one of {string.Join(", ", allowed.Select(a => Render(Evaluate(a))))}",
            (string s, _) when definition["minLength"] is JsonNode min && s.Length < min.GetValue<int>()
                => $"its length {s.Length} is below the minimum {min.GetValue<int>()}",
            (string s, _) when definition["maxLength"] is JsonNode max && s.Length > max.GetValue<int>()
                => $"its length {s.Length} is above the maximum {max.GetValue<int>()}",
            (long n, _) when definition["minValue"] is JsonNode min && n < min.GetValue<long>()
                => $"{n} is below the minimum {min.GetValue<long>()}",
            (long n, _) when definition["maxValue"] is JsonNode max && n > max.GetValue<long>()
                => $"{n} is above the maximum {max.GetValue<long>()}",
            _ => null,
        };
        if (problem is not null)
        {
            var description = definition["metadata"]?["description"]?.GetValue<string>();
            throw new InvalidOperationException($"Module '{_module}': the value of parameter '{name}' is not valid: {problem}. {description}".TrimEnd());
        }
    }

    private EvaluatedDeployment EvaluateDeployment()
    {
        var resources = new List<DeployedResource>();
        foreach (var resource in ResourceDefinitions())
        {
            if (!IsDeployed(resource))
            {
                continue;
            }

            if (resource.ContainsKey("copy"))
            {
                throw new NotSupportedException($"Module '{_module}': resource loops (copy) are not evaluated; write the resources out.");
            }

            var type = (string)Evaluate(resource["type"])!;
            if (type.Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase))
            {
                resources.AddRange(Module((string)Evaluate(resource["name"])!)!.Resources);
                continue;
            }

            var body = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (key, value) in resource)
            {
                if (key is not ("condition" or "dependsOn" or "copy"))
                {
                    body[key] = Evaluate(value);
                }
            }

            resources.Add(new DeployedResource(type, Render(body["name"]), body.TryGetValue("scope", out var scope) ? Render(scope) : null, _module, body));
        }

        var outputs = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, output) in _template["outputs"]?.AsObject() ?? [])
        {
            var definition = output!.AsObject();
            if (!definition.TryGetPropertyValue("condition", out var condition) || IsTrue(Evaluate(condition), $"output {name}"))
            {
                outputs[name] = Evaluate(definition["value"]);
            }
        }

        return new EvaluatedDeployment(resources, outputs);
    }

    private IEnumerable<JsonObject> ResourceDefinitions() => _template["resources"] switch
    {
        JsonArray array => array.Select(r => r!.AsObject()),
        JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()),
        _ => [],
    };

    private bool IsDeployed(JsonObject resource) =>
        (!resource.TryGetPropertyValue("condition", out var condition) || IsTrue(Evaluate(condition), $"condition of {resource["name"]}"))
        && resource["existing"]?.GetValue<bool>() != true;

    /// <summary>A nested deployment (Bicep module), evaluated once; null when its condition is false.</summary>
    private EvaluatedDeployment? Module(string name)
    {
        if (_modules.TryGetValue(name, out var done))
        {
            return done;
        }

        if (!_modulesInProgress.Add(name))
        {
            throw new InvalidOperationException($"Module '{name}' depends on its own outputs.");
        }

        var definition = ResourceDefinitions().FirstOrDefault(r =>
            string.Equals(r["type"]?.GetValue<string>(), "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase)
            && string.Equals(Render(Evaluate(r["name"])), name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"Module '{_module}' references deployment '{name}', which it does not declare.");

        EvaluatedDeployment? result = null;
        if (IsDeployed(definition))
        {
            var properties = definition["properties"]!.AsObject();
            var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (parameter, value) in properties["parameters"]?.AsObject() ?? [])
            {
                // Bicep may hoist a condition around the whole entry: "[if(c, createObject('value', a), ...)]".
                var entry = Evaluate(value) as IReadOnlyDictionary<string, object?>
                    ?? throw new InvalidOperationException($"Module '{name}': parameter '{parameter}' is not a {{\"value\": ...}} object.");
                parameters[parameter] = entry.TryGetValue("value", out var given)
                    ? given
                    : throw new NotSupportedException($"Module '{name}': parameter '{parameter}' is not given by value (Key Vault references are not evaluated).");
            }

            var resourceGroup = definition.TryGetPropertyValue("resourceGroup", out var group) ? Render(Evaluate(group)) : _resourceGroup;
            var nested = new TemplateEvaluator(properties["template"]!.AsObject(), parameters, _context, $"{_module}/{name}", resourceGroup);
            result = nested.EvaluateDeployment();
        }

        _modulesInProgress.Remove(name);
        _modules[name] = result;
        return result;
    }

    private object? Evaluate(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => Evaluate(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray array => array.Select(Evaluate).ToList(),
        JsonValue value => EvaluateValue(value),
        _ => throw new InvalidOperationException($"Unexpected JSON node {node}."),
    };

    private object? EvaluateValue(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                if (text.StartsWith("[[", StringComparison.Ordinal))
                {
                    return text[1..];
                }

                return text.StartsWith('[') && text.EndsWith(']') ? Evaluate(ArmExpression.Parse(text[1..^1])) : text;
            case JsonValueKind.Number:
                return value.GetValue<long>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private object? Evaluate(ArmExpression expression) => expression switch
    {
        ArmExpression.Literal literal => literal.Value,
        ArmExpression.PropertyAccess access => Member(Evaluate(access.Target), access.Property),
        ArmExpression.IndexAccess access => Member(Evaluate(access.Target), Evaluate(access.Index)),
        ArmExpression.FunctionCall call => Call(call),
        _ => throw new InvalidOperationException($"Unexpected expression {expression}."),
    };

    private static object? Member(object? target, object? key) => target switch
    {
        DeploymentTimeValue unknown => new DeploymentTimeValue(key is string name ? $"{unknown.Description}.{name}" : $"{unknown.Description}[{Render(key)}]"),
        IReadOnlyDictionary<string, object?> map when key is string name =>
            map.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"The object has no property '{name}' (it has {string.Join(", ", map.Keys)})."),
        IReadOnlyList<object?> list when key is long index => list[(int)index],
        _ => throw new InvalidOperationException($"Cannot read '{Render(key)}' of {Render(target)}."),
    };

    private object? Call(ArmExpression.FunctionCall call)
    {
        var name = call.Name.ToLowerInvariant();
        switch (name)
        {
            // Lazily evaluated: only the branch taken may reference a module that is not deployed.
            case "if":
                return IsTrue(Evaluate(call.Arguments[0]), "if()") ? Evaluate(call.Arguments[1]) : Evaluate(call.Arguments[2]);
            case "and":
                return call.Arguments.All(a => IsTrue(Evaluate(a), "and()"));
            case "or":
                return call.Arguments.Any(a => IsTrue(Evaluate(a), "or()"));
        }

        var args = call.Arguments.Select(Evaluate).ToList();
        switch (name)
        {
            case "parameters":
                return _parameters.TryGetValue(Text(args[0]), out var parameter) ? parameter : throw new KeyNotFoundException($"Module '{_module}' has no parameter '{args[0]}'.");
            case "variables":
                return Variable(Text(args[0]));
            case "reference":
                return Reference(args[0]);
            case "format":
                return Format(Text(args[0]), args.Skip(1).ToList());
            case "concat":
                return args.All(a => a is IReadOnlyList<object?>)
                    ? args.Cast<IReadOnlyList<object?>>().SelectMany(a => a).ToList()
                    : string.Concat(args.Select(Render));
            case "union":
                return Union(args);
            case "createobject":
                var created = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < args.Count; i += 2)
                {
                    created[Text(args[i])] = args[i + 1];
                }

                return created;
            case "createarray":
                return args;
            case "equals":
                return Known(args[0], "equals()") is var left && Known(args[1], "equals()") is var right
                    && JsonSerializer.Serialize(left) == JsonSerializer.Serialize(right);
            case "not":
                return !IsTrue(args[0], "not()");
            case "empty":
                return Known(args[0], "empty()") switch
                {
                    null => true,
                    string s => s.Length == 0,
                    IReadOnlyList<object?> l => l.Count == 0,
                    IReadOnlyDictionary<string, object?> m => m.Count == 0,
                    _ => false,
                };
            case "coalesce":
                return args.FirstOrDefault(a => a is not null);
            case "true":
                return true;
            case "false":
                return false;
            case "null":
                return null;
            case "string":
                return Render(args[0]);
            case "length":
                return Known(args[0], "length()") switch
                {
                    string s => (long)s.Length,
                    IReadOnlyList<object?> l => (long)l.Count,
                    IReadOnlyDictionary<string, object?> m => (long)m.Count,
                    var other => throw new InvalidOperationException($"length() of {Render(other)}."),
                };
            case "subscription":
                return Map(("id", $"/subscriptions/{_context.SubscriptionId}"), ("subscriptionId", _context.SubscriptionId), ("tenantId", _context.TenantId));
            case "resourcegroup":
                return Map(("id", $"/subscriptions/{_context.SubscriptionId}/resourceGroups/{ResourceGroupName()}"), ("name", ResourceGroupName()), ("location", _context.Location));
            case "tenant":
                return Map(("tenantId", _context.TenantId));
            case "deployment":
                return Map(("name", _context.DeploymentName));
            case "environment":
                return Map(
                    ("name", "AzureCloud"),
                    ("suffixes", Map(("storage", "core.windows.net"), ("keyvaultDns", ".vault.azure.net"))),
                    ("authentication", Map(("loginEndpoint", "https://login.microsoftonline.com/"))));
            case "resourceid":
                return ResourceId(args, scopeKind: "resourceGroup");
            case "subscriptionresourceid":
                return ResourceId(args, scopeKind: "subscription");
            case "tenantresourceid":
                return ResourceId(args, scopeKind: "tenant");
            case "extensionresourceid":
                return $"{Text(args[0])}{ResourcePath(args.Skip(1).ToList())}";
        }

        // The remaining functions pass deployment-time values through symbolically.
        if (args.Any(a => a is DeploymentTimeValue) || name.StartsWith("list", StringComparison.Ordinal))
        {
            return new DeploymentTimeValue($"{call.Name}({string.Join(", ", args.Select(Render))})");
        }

        return name switch
        {
            "tolower" => Text(args[0]).ToLowerInvariant(),
            "toupper" => Text(args[0]).ToUpperInvariant(),
            "uniquestring" => UniqueString(args),
            "guid" => Guid(args),
            "take" => args[0] is string s ? s[..Math.Min(s.Length, (int)(long)args[1]!)] : ((IReadOnlyList<object?>)args[0]!).Take((int)(long)args[1]!).ToList(),
            "replace" => Text(args[0]).Replace(Text(args[1]), Text(args[2]), StringComparison.Ordinal),
            "contains" => args[0] is string haystack ? haystack.Contains(Text(args[1]), StringComparison.OrdinalIgnoreCase)
                : args[0] is IReadOnlyDictionary<string, object?> map ? map.ContainsKey(Text(args[1]))
                : ((IReadOnlyList<object?>)args[0]!).Any(x => Equals(x, args[1])),
            "split" => Text(args[0]).Split(Text(args[1])).Cast<object?>().ToList(),
            "last" => args[0] is string last ? last[^1..] : ((IReadOnlyList<object?>)args[0]!)[^1],
            "first" => args[0] is string first ? first[..1] : ((IReadOnlyList<object?>)args[0]!)[0],
            _ => throw new NotSupportedException($"Module '{_module}': the evaluator does not know the ARM function {call.Name}(); add it to TemplateEvaluator."),
        };
    }

    private object? Variable(string name)
    {
        if (_variables.TryGetValue(name, out var value))
        {
            return value;
        }

        if (!_variablesInProgress.Add(name))
        {
            throw new InvalidOperationException($"Variable '{name}' refers to itself.");
        }

        var definition = _template["variables"]?[name] ?? throw new KeyNotFoundException($"Module '{_module}' has no variable '{name}'.");
        value = Evaluate(definition);
        _variablesInProgress.Remove(name);
        return _variables[name] = value;
    }

    private object? Reference(object? resourceId)
    {
        var id = Render(resourceId);
        const string deployments = "/providers/Microsoft.Resources/deployments/";
        var at = id.LastIndexOf(deployments, StringComparison.OrdinalIgnoreCase);
        if (at >= 0)
        {
            var name = id[(at + deployments.Length)..];
            var module = Module(name) ?? throw new InvalidOperationException($"Module '{_module}' reads outputs of '{name}', which its condition leaves out.");
            return Map(("outputs", module.Outputs.ToDictionary(o => o.Key, o => (object?)Map(("value", o.Value)), StringComparer.OrdinalIgnoreCase)));
        }

        return new DeploymentTimeValue($"reference({id})");
    }

    private string ResourceGroupName() =>
        _resourceGroup ?? throw new InvalidOperationException($"Module '{_module}' is not deployed to a resource group, so resourceGroup() has no value.");

    private string ResourceId(IReadOnlyList<object?> args, string scopeKind)
    {
        var typeAt = args.ToList().FindIndex(a => a is string s && s.Contains('/', StringComparison.Ordinal));
        var subscription = _context.SubscriptionId;
        var resourceGroup = scopeKind == "resourceGroup" ? _resourceGroup : null;
        if (scopeKind == "resourceGroup" && typeAt == 2)
        {
            (subscription, resourceGroup) = (Text(args[0]), Text(args[1]));
        }
        else if (scopeKind == "resourceGroup" && typeAt == 1)
        {
            resourceGroup = Text(args[0]);
        }
        else if (scopeKind == "subscription" && typeAt == 1)
        {
            subscription = Text(args[0]);
        }

        var path = ResourcePath(args.Skip(typeAt).ToList());
        return scopeKind switch
        {
            "tenant" => path,
            "subscription" => $"/subscriptions/{subscription}{path}",
            _ => $"/subscriptions/{subscription}/resourceGroups/{resourceGroup ?? ResourceGroupName()}{path}",
        };
    }

    // Microsoft.Storage/storageAccounts/blobServices + [a, b] => /providers/Microsoft.Storage/storageAccounts/a/blobServices/b
    private static string ResourcePath(IReadOnlyList<object?> typeAndNames)
    {
        var segments = Text(typeAndNames[0]).Split('/');
        var path = new StringBuilder($"/providers/{segments[0]}");
        for (var i = 1; i < segments.Length; i++)
        {
            path.Append('/').Append(segments[i]).Append('/').Append(Render(typeAndNames[i]));
        }

        return path.ToString();
    }

    private static object? Union(IReadOnlyList<object?> args)
    {
        if (args.All(a => a is IReadOnlyDictionary<string, object?>))
        {
            var merged = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var map in args.Cast<IReadOnlyDictionary<string, object?>>())
            {
                foreach (var (key, value) in map)
                {
                    merged[key] = merged.TryGetValue(key, out var existing) && existing is IReadOnlyDictionary<string, object?> && value is IReadOnlyDictionary<string, object?>
                        ? Union([existing, value])
                        : value;
                }
            }

            return merged;
        }

        if (args.All(a => a is IReadOnlyList<object?>))
        {
            return args.Cast<IReadOnlyList<object?>>().SelectMany(a => a).Distinct().ToList();
        }

        throw new InvalidOperationException($"union() of {string.Join(", ", args.Select(Render))} needs all objects or all arrays known before deployment.");
    }

    private static string Format(string format, IReadOnlyList<object?> args)
    {
        var result = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] == '{' && i + 1 < format.Length && format[i + 1] == '{')
            {
                result.Append('{');
                i++;
            }
            else if (format[i] == '}' && i + 1 < format.Length && format[i + 1] == '}')
            {
                result.Append('}');
                i++;
            }
            else if (format[i] == '{')
            {
                var close = format.IndexOf('}', i);
                var index = int.Parse(format[(i + 1)..close].Split(':')[0], CultureInfo.InvariantCulture);
                result.Append(Render(args[index]));
                i = close;
            }
            else
            {
                result.Append(format[i]);
            }
        }

        return result.ToString();
    }

    // Not Azure's algorithm, but like it deterministic and 13 lowercase characters.
    private static string UniqueString(IReadOnlyList<object?> args)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(Render))));
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        return string.Concat(hash.Take(13).Select(b => alphabet[b % alphabet.Length]));
    }

    private static string Guid(IReadOnlyList<object?> args)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", args.Select(Render))));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);

    private static object? Known(object? value, string where) => value is DeploymentTimeValue unknown
        ? throw new InvalidOperationException($"{where} depends on {unknown}, which only Azure knows while deploying; conditions must depend on parameters.")
        : value;

    private static bool IsTrue(object? value, string where) => Known(value, where) switch
    {
        bool b => b,
        string s => bool.Parse(s),
        var other => throw new InvalidOperationException($"{where} is {Render(other)}, not a boolean."),
    };

    private static string Text(object? value) => value as string ?? Render(value);

    /// <summary>A value as ARM would put it into a string; deployment-time values as ⟨description⟩.</summary>
    public static string Render(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        long n => n.ToString(CultureInfo.InvariantCulture),
        DeploymentTimeValue unknown => unknown.ToString(),
        _ => JsonSerializer.Serialize(value),
    };
}
