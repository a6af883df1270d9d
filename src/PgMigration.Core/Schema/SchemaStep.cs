using PgMigration.Core.Catalog;

namespace PgMigration.Core.Schema;

public enum SchemaPhase
{
    /// <summary>Everything rows need to land: schemas, types, functions, tables, views.</summary>
    PreData,

    /// <summary>What is faster or only possible after the rows are in: keys, indexes, foreign keys, triggers ...</summary>
    PostData,
}

/// <summary>
/// The order steps run in. Post-data is split so the data engine and the workflow can run it in stages
/// after loading; steps inside <see cref="KeysAndIndexes"/> are independent and may run in parallel.
/// </summary>
public enum SchemaStage
{
    PreData = 0,
    KeysAndIndexes = 1,
    IndexAttachments = 2,

    /// <summary>Pre-data objects that depend on a post-data one (a view grouping by a primary key).</summary>
    DeferredDefinitions = 3,
    ForeignKeys = 4,
    TriggersAndSecurity = 5,
    MaterializedViewRefresh = 6,

    /// <summary>Owners and grants, only when asked for (the target's roles must exist).</summary>
    OwnersAndGrants = 7,

    /// <summary>setval to the source's values; run by the data mode only, as pg_dump --schema-only leaves sequences alone.</summary>
    SequenceValues = 8,

    /// <summary>Event triggers come last, so they never fire on the migration's own DDL; they need a superuser.</summary>
    EventTriggers = 9,
}

/// <summary>What a step creates. The order here breaks ties between independent steps.</summary>
public enum SchemaObjectKind
{
    Schema,
    Extension,
    ForeignServer,
    Collation,
    TextSearchDictionary,
    TextSearchConfiguration,
    EnumType,
    RangeType,
    CompositeType,
    Domain,
    Function,
    Procedure,
    Aggregate,
    Operator,
    OperatorFamily,
    OperatorClass,
    Cast,
    Sequence,
    Table,
    ForeignTable,
    Default,
    View,
    MaterializedView,
    PrimaryKey,
    UniqueConstraint,
    ExclusionConstraint,
    Index,
    Statistics,
    IndexAttachment,
    CheckConstraint,
    ForeignKey,
    Trigger,
    Rule,
    RowLevelSecurity,
    Policy,
    Publication,
    MaterializedViewRefresh,
    Privileges,
    SequenceValue,
    EventTrigger,

    /// <summary>Rows added to an extension's configuration table (pg_extension_config_dump), after the extension.</summary>
    ExtensionConfiguration,
}

/// <summary>One DDL step of a <see cref="SchemaScript"/>: one object, one or more statements.</summary>
/// <param name="Name">The object's qualified name as SQL, e.g. <c>public."Order Lines"</c> or <c>c_pk ON public.t</c>.</param>
/// <param name="Table">The table (or view) the step belongs to, if any: filters and per-table scheduling use it.</param>
/// <param name="ConflictKey">How to recognise the object on a target that already has it (<c>relation:schema.name</c>, raw names).</param>
public sealed record SchemaStep(SchemaStage Stage, SchemaObjectKind Kind, string Name, string Sql, QualifiedName? Table, string? ConflictKey = null)
{
    /// <summary>The statements of <see cref="Sql"/>, each sent to the server on its own; defaults to <see cref="Sql"/> as one statement.</summary>
    public IReadOnlyList<string> Statements
    {
        get => statements ?? [Sql];
        init => statements = value;
    }

    private readonly IReadOnlyList<string>? statements;

    /// <summary>
    /// The schemas of the extensions the object needs, directly or through other objects, which its statements
    /// run with as search_path instead of the empty one: some extensions' functions name their own types and
    /// functions unqualified (earthdistance's ll_to_earth needs cube's and its own), so an index or a
    /// refresh that calls one fails without them.
    /// </summary>
    public IReadOnlyList<string> SearchPath { get; init; } = [];

    /// <summary>For a foreign key, the table it references: the step can run once both tables are loaded and keyed.</summary>
    public QualifiedName? References { get; init; }

    public SchemaPhase Phase => Stage == SchemaStage.PreData ? SchemaPhase.PreData : SchemaPhase.PostData;

    public string Description => $"{Kind} {Name}";

    public override string ToString() => Description;
}
