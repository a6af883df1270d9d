namespace PgMigration.Core.Workflow;

/// <summary>
/// Text a message repeats (a request's values, a failure that quotes them) cut to a length that cannot
/// flood a log line, a problem body or a status: whatever a caller sends, what is echoed stays small.
/// </summary>
internal static class BoundedText
{
    /// <summary>How much of one echoed value is shown: enough to recognize it.</summary>
    public const int MaxEchoLength = 80;

    /// <summary>The longest message kept whole: room for a failed statement's SQL, not for a request's lists.</summary>
    public const int MaxMessageLength = 8000;

    /// <summary>One value from the input, as it is quoted back.</summary>
    public static string Echo(string? value) => Cut(value ?? string.Empty, MaxEchoLength);

    /// <summary>A whole message (a failure, a problem's detail) as it is logged or reported.</summary>
    public static string Message(string? message) => Cut(message ?? string.Empty, MaxMessageLength);

    private static string Cut(string text, int max) =>
        text.Length <= max ? text : $"{text[..max]}... ({text.Length - max} more characters)";
}
