namespace PgMigration.Core.Catalog;

/// <summary>
/// Everything the migration reads from the source database: the model the DDL is generated from.
/// Objects that belong to extensions or system schemas are not in it; objects we cannot migrate are
/// listed in <see cref="Unsupported"/> so they are reported, never silently dropped.
/// </summary>
public sealed record DatabaseCatalog
{
    public required ServerInfo Server { get; init; }
    public IReadOnlyList<SchemaInfo> Schemas { get; init; } = [];
    public IReadOnlyList<ExtensionInfo> Extensions { get; init; } = [];
    public IReadOnlyList<CollationInfo> Collations { get; init; } = [];
    public IReadOnlyList<TextSearchDictionaryInfo> TextSearchDictionaries { get; init; } = [];
    public IReadOnlyList<TextSearchConfigurationInfo> TextSearchConfigurations { get; init; } = [];
    public IReadOnlyList<EnumTypeInfo> Enums { get; init; } = [];
    public IReadOnlyList<CompositeTypeInfo> CompositeTypes { get; init; } = [];
    public IReadOnlyList<DomainInfo> Domains { get; init; } = [];
    public IReadOnlyList<RangeTypeInfo> Ranges { get; init; } = [];
    public IReadOnlyList<SequenceInfo> Sequences { get; init; } = [];
    public IReadOnlyList<TableInfo> Tables { get; init; } = [];

    /// <summary>Foreign servers and tables: their definitions move, their rows stay where they are.</summary>
    public IReadOnlyList<ForeignServerInfo> ForeignServers { get; init; } = [];
    public IReadOnlyList<ForeignTableInfo> ForeignTables { get; init; } = [];
    public IReadOnlyList<ColumnDefault> Defaults { get; init; } = [];
    public IReadOnlyList<ConstraintInfo> Constraints { get; init; } = [];
    public IReadOnlyList<IndexInfo> Indexes { get; init; } = [];
    public IReadOnlyList<ViewInfo> Views { get; init; } = [];
    public IReadOnlyList<RoutineInfo> Routines { get; init; } = [];
    public IReadOnlyList<AggregateInfo> Aggregates { get; init; } = [];
    public IReadOnlyList<OperatorInfo> Operators { get; init; } = [];
    public IReadOnlyList<CastInfo> Casts { get; init; } = [];
    public IReadOnlyList<OperatorFamilyInfo> OperatorFamilies { get; init; } = [];
    public IReadOnlyList<OperatorClassInfo> OperatorClasses { get; init; } = [];
    public IReadOnlyList<TriggerInfo> Triggers { get; init; } = [];
    public IReadOnlyList<RuleInfo> Rules { get; init; } = [];
    public IReadOnlyList<PolicyInfo> Policies { get; init; } = [];
    public IReadOnlyList<StatisticsInfo> Statistics { get; init; } = [];
    public IReadOnlyList<PublicationInfo> Publications { get; init; } = [];
    public IReadOnlyList<EventTriggerInfo> EventTriggers { get; init; } = [];

    /// <summary>Owners and grants; empty unless asked for with <see cref="CatalogReadOptions.OwnersAndGrants"/>.</summary>
    public IReadOnlyList<PrivilegeInfo> Privileges { get; init; } = [];

    /// <summary>
    /// How many large objects the database holds. They are data of the whole database, not of a schema: the
    /// data phase copies them (with their comments, and owners and grants when asked) unless filters are given.
    /// </summary>
    public long LargeObjects { get; init; }

    /// <summary>The owners and grantees of the large objects; read only with <see cref="CatalogReadOptions.OwnersAndGrants"/>.</summary>
    public IReadOnlyList<string> LargeObjectRoles { get; init; } = [];

    /// <summary>pg_depend edges between objects of this database (dependent on referenced).</summary>
    public IReadOnlyList<Dependency> Dependencies { get; init; } = [];

    /// <summary>Addresses that stand for another object (a table's row type, an array type, a view's rule, an extension member).</summary>
    public IReadOnlyList<AddressAlias> Aliases { get; init; } = [];

    public IReadOnlyList<UnsupportedObject> Unsupported { get; init; } = [];
}

public sealed record ServerInfo(int VersionNumber, string Version, string Database, string Encoding)
{
    public int MajorVersion => VersionNumber / 10000;
}

public readonly record struct Dependency(ObjectAddress Dependent, ObjectAddress Referenced);

public readonly record struct AddressAlias(ObjectAddress Alias, ObjectAddress Target);

/// <summary>Something in the source the migration does not recreate, with the reason, for the plan and the report.</summary>
public sealed record UnsupportedObject(string Kind, string Name, string Reason)
{
    /// <summary>Where pg_depend knows it, so objects that need it can be left out and reported too.</summary>
    public ObjectAddress? Address { get; init; }

    public override string ToString() => $"{Kind} {Name}: {Reason}";
}
