using System.Text.Json.Serialization;

namespace PgMigration.Core.Copy;

/// <summary>Serialization code for the data plan, generated at compile time (see <c>PrecompiledJson</c> for why).</summary>
[JsonSerializable(typeof(DataPlan))]
internal sealed partial class DataPlanJsonContext : JsonSerializerContext;
