namespace Nonlinear;

/// <summary>
/// A value supplied by the user — an option, a spec string ("elu(alpha=0.5)", "mlp:256,256"), a formula, or the
/// content of a data or checkpoint file — is invalid. The message names the argument, the expected and the actual
/// value. The CLI reports exactly this type (and <see cref="System.IO.InvalidDataException"/> for corrupt files,
/// plus the file-system exceptions) as a one-line error; any other exception is a bug and keeps its stack trace.
/// It derives from <see cref="ArgumentException"/> so library callers that catch that keep working.
/// </summary>
public sealed class InvalidInputException : ArgumentException
{
    /// <summary>An invalid-input error with the given message.</summary>
    public InvalidInputException(string message) : base(message) { }

    /// <summary>An invalid-input error about <paramref name="paramName"/>.</summary>
    public InvalidInputException(string message, string? paramName) : base(message, paramName) { }

    /// <summary>An invalid-input error caused by <paramref name="inner"/>.</summary>
    public InvalidInputException(string message, Exception inner) : base(message, inner) { }
}
