namespace PgMigration.Core.Catalog;

/// <summary>
/// The one place each single-letter code of pg_catalog becomes its enum. A letter none of these know is
/// refused rather than read as a default: a newer server may have added it, and guessing would write
/// different DDL than the source has.
/// </summary>
internal static class CatalogCodes
{
    /// <summary>The newest PostgreSQL major version whose catalog codes these mappings know.</summary>
    public const int NewestKnownMajorVersion = 18;

    public static ReplicaIdentity ReplicaIdentityOf(string code) => code switch
    {
        "d" => ReplicaIdentity.Default,
        "n" => ReplicaIdentity.Nothing,
        "f" => ReplicaIdentity.Full,
        "i" => ReplicaIdentity.Index,
        _ => throw Unknown("pg_class.relreplident", code),
    };

    /// <summary>Null for a column that is not an identity column (an empty attidentity).</summary>
    public static IdentityGeneration? IdentityGenerationOf(string code) => code switch
    {
        "" => null,
        "a" => IdentityGeneration.Always,
        "d" => IdentityGeneration.ByDefault,
        _ => throw Unknown("pg_attribute.attidentity", code),
    };

    public static ConstraintType ConstraintTypeOf(string code) => code switch
    {
        "p" => ConstraintType.PrimaryKey,
        "u" => ConstraintType.Unique,
        "f" => ConstraintType.ForeignKey,
        "c" => ConstraintType.Check,
        "x" => ConstraintType.Exclusion,
        "n" => ConstraintType.NotNull,
        "t" => ConstraintType.Trigger,
        _ => throw Unknown("pg_constraint.contype", code),
    };

    /// <param name="column">The catalog column the code was read from: triggers, rules and event triggers share the letters.</param>
    public static FiringMode FiringModeOf(string code, string column) => code switch
    {
        "O" => FiringMode.Origin,
        "D" => FiringMode.Disabled,
        "R" => FiringMode.Replica,
        "A" => FiringMode.Always,
        _ => throw Unknown(column, code),
    };

    public static RoutineKind RoutineKindOf(string code) => code switch
    {
        "f" => RoutineKind.Function,
        "p" => RoutineKind.Procedure,
        "a" => RoutineKind.Aggregate,
        "w" => RoutineKind.Window,
        _ => throw Unknown("pg_proc.prokind", code),
    };

    public static AggregateKind AggregateKindOf(string code) => code switch
    {
        "n" => AggregateKind.Normal,
        "o" => AggregateKind.OrderedSet,
        "h" => AggregateKind.Hypothetical,
        _ => throw Unknown("pg_aggregate.aggkind", code),
    };

    public static CastMethod CastMethodOf(string code) => code switch
    {
        "f" => CastMethod.Function,
        "b" => CastMethod.BinaryCoercible,
        "i" => CastMethod.InOut,
        _ => throw Unknown("pg_cast.castmethod", code),
    };

    public static CastContext CastContextOf(string code) => code switch
    {
        "e" => CastContext.Explicit,
        "a" => CastContext.Assignment,
        "i" => CastContext.Implicit,
        _ => throw Unknown("pg_cast.castcontext", code),
    };

    public static CollationProvider CollationProviderOf(string code) => code switch
    {
        "d" => CollationProvider.Default,
        "c" => CollationProvider.Libc,
        "i" => CollationProvider.Icu,
        "b" => CollationProvider.Builtin,
        _ => throw Unknown("pg_collation.collprovider", code),
    };

    public static PolicyCommand PolicyCommandOf(string code) => code switch
    {
        "*" => PolicyCommand.All,
        "r" => PolicyCommand.Select,
        "a" => PolicyCommand.Insert,
        "w" => PolicyCommand.Update,
        "d" => PolicyCommand.Delete,
        _ => throw Unknown("pg_policy.polcmd", code),
    };

    public static TypeKind TypeKindOf(string code) => code switch
    {
        "b" => TypeKind.Base,
        "c" => TypeKind.Composite,
        "d" => TypeKind.Domain,
        "e" => TypeKind.Enum,
        "p" => TypeKind.Pseudo,
        "r" => TypeKind.Range,
        "m" => TypeKind.Multirange,
        _ => throw Unknown("pg_type.typtype", code),
    };

    private static UnknownCatalogCodeException Unknown(string column, string code) => new(column, code);
}
