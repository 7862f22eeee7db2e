namespace Nonlinear.Cli;

/// <summary>
/// Separates the user's mistakes (reported in one line, exit code <see cref="UserExitCode"/>) from bugs (reported with
/// a stack trace, exit code <see cref="BugExitCode"/>). A user mistake is an <see cref="InvalidInputException"/> (an
/// option, spec or formula the user typed), an <see cref="InvalidDataException"/> (a corrupt file the user named), a
/// file-system error, or a cancellation. Everything else — a null, an index out of range, a plain
/// <see cref="ArgumentException"/> from our own code — is a bug and must look like one.
/// </summary>
internal static class UserError
{
    /// <summary>Exit code of a user mistake (as System.CommandLine uses for parse errors).</summary>
    public const int UserExitCode = 2;

    /// <summary>Exit code of a bug in Nonlinear (sysexits' EX_SOFTWARE), distinct from every user mistake.</summary>
    public const int BugExitCode = 70;

    public static bool IsUserError(Exception e) => e is InvalidInputException or InvalidDataException or IOException
        or UnauthorizedAccessException or OperationCanceledException;

    public static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "cancelled.",
        ArgumentException a when a.ParamName is not null => a.Message.Replace($" (Parameter '{a.ParamName}')", "").ReplaceLineEndings(" "),
        _ => e.Message.ReplaceLineEndings(" "),
    };

    /// <summary>
    /// Runs a call into a library parser whose own validation still throws plain <see cref="ArgumentException"/> or
    /// <see cref="FormatException"/>, and reports those as the user's mistake, prefixed with <paramref name="option"/>
    /// when given. Only for calls whose every argument came from the user: then an ArgumentException can only mean
    /// the input was invalid. Remove a call site once its parser throws <see cref="InvalidInputException"/> itself.
    /// </summary>
    public static T AtBoundary<T>(string? option, Func<T> parse)
    {
        try { return parse(); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            // Library parsers do not know which option their text came from; the message gains its name once.
            string message = Describe(e);
            throw new InvalidInputException(option is null || message.StartsWith(option, StringComparison.Ordinal) ? message : $"{option}: {message}", e);
        }
    }

    /// <inheritdoc cref="AtBoundary{T}(string?, Func{T})"/>
    public static void AtBoundary(string? option, Action parse) => AtBoundary(option, () => { parse(); return 0; });
}
