namespace PgMigration.Core.Catalog;

/// <summary>An object as pg_depend names it: the catalog it lives in and its oid there.</summary>
public readonly record struct ObjectAddress(uint ClassId, uint ObjectId)
{
    // Fixed oids of the system catalogs, the same on every PostgreSQL version.
    public const uint PgType = 1247;
    public const uint PgProc = 1255;
    public const uint PgClass = 1259;
    public const uint PgAttrdef = 2604;
    public const uint PgCast = 2605;
    public const uint PgConstraint = 2606;
    public const uint PgOperator = 2617;
    public const uint PgRewrite = 2618;
    public const uint PgTrigger = 2620;
    public const uint PgNamespace = 2615;
    public const uint PgExtension = 3079;
    public const uint PgPolicy = 3256;
    public const uint PgStatisticExt = 3381;
    public const uint PgCollation = 3456;
    public const uint PgTsConfig = 3602;
    public const uint PgForeignServer = 1417;
    public const uint PgPublication = 6104;
    public const uint PgEventTrigger = 3466;
    public const uint PgOpclass = 2616;
    public const uint PgOpfamily = 2753;
    public const uint PgTsDict = 3600;

    public override string ToString() => $"{ClassId}:{ObjectId}";
}
