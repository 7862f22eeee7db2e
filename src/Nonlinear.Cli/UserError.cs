namespace Nonlinear.Cli;

/// <summary>Separates the user's mistakes (reported in one line) from bugs (reported with a trace).</summary>
internal static class UserError
{
    public static bool IsUserError(Exception e) => e is ArgumentException or FileNotFoundException or DirectoryNotFoundException
        or InvalidDataException or UnauthorizedAccessException or IOException or FormatException or OperationCanceledException;

    public static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "cancelled.",
        ArgumentException a when a.ParamName is not null => a.Message.Replace($" (Parameter '{a.ParamName}')", "").ReplaceLineEndings(" "),
        _ => e.Message.ReplaceLineEndings(" "),
    };
}
