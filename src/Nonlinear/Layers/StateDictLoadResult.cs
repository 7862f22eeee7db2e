namespace Nonlinear.Layers;

/// <summary>
/// What <see cref="Module.LoadStateDict"/> did not match (torch's <c>_IncompatibleKeys</c>): the module's keys absent
/// from the state dict (left as they were) and the state dict's keys the module does not have (ignored).
/// </summary>
/// <param name="MissingKeys">Keys of the module that the state dict lacks, in the module's order.</param>
/// <param name="UnexpectedKeys">Keys of the state dict that the module lacks, in the state dict's order.</param>
public sealed record StateDictLoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys)
{
    /// <summary>
    /// How many keys of each list a message shows: a state dict can hold hundreds of thousands of tensors, and an
    /// error line that lists them all is megabytes long.
    /// </summary>
    public const int MaxKeysInMessage = 10;

    /// <summary>True when every key matched.</summary>
    public bool IsExactMatch => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0;

    /// <summary>"missing keys [a, b] (2), unexpected keys [c, d, … and 3 more] (5)".</summary>
    public override string ToString() => $"missing keys {List(MissingKeys)}, unexpected keys {List(UnexpectedKeys)}";

    /// <summary>The first <see cref="MaxKeysInMessage"/> keys and the count of the rest.</summary>
    public static string List(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        string shown = string.Join(", ", keys.Take(MaxKeysInMessage));
        return keys.Count <= MaxKeysInMessage ? $"[{shown}] ({keys.Count})" : $"[{shown}, … and {keys.Count - MaxKeysInMessage} more] ({keys.Count})";
    }
}
