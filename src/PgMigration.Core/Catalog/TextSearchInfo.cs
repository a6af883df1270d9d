namespace PgMigration.Core.Catalog;

/// <param name="Template">Qualified template name.</param>
/// <param name="Options">dictinitoption text, e.g. <c>stopwords = 'english'</c>, as CREATE TEXT SEARCH DICTIONARY takes it.</param>
public sealed record TextSearchDictionaryInfo(ObjectAddress Address, QualifiedName Name, string Template, string? Options, string? Comment);

/// <param name="Parser">Qualified parser name.</param>
/// <param name="Mappings">Token type to dictionaries, in the source's order.</param>
public sealed record TextSearchConfigurationInfo(ObjectAddress Address, QualifiedName Name, string Parser, IReadOnlyList<TextSearchMapping> Mappings, string? Comment);

/// <param name="Dictionaries">Qualified dictionary names, in lookup order.</param>
public sealed record TextSearchMapping(string TokenType, IReadOnlyList<string> Dictionaries);
