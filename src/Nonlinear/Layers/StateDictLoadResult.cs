namespace Nonlinear.Layers;

/// <summary>
/// What <see cref="Module.LoadStateDict"/> did not match (torch's <c>_IncompatibleKeys</c>): the module's keys absent
/// from the state dict (left as they were) and the state dict's keys the module does not have (ignored).
/// </summary>
/// <param name="MissingKeys">Keys of the module that the state dict lacks, in the module's order.</param>
/// <param name="UnexpectedKeys">Keys of the state dict that the module lacks, in the state dict's order.</param>
public sealed record StateDictLoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys)
{
    /// <summary>True when every key matched.</summary>
    public bool IsExactMatch => MissingKeys.Count == 0 && UnexpectedKeys.Count == 0;

    /// <summary>"missing keys [a, b], unexpected keys [c, d, … and 3 more]": at most <see cref="MessageText.MaxListed"/> of each
    /// (a state dict can hold hundreds of thousands of tensors, and an error line that lists them all is megabytes long).</summary>
    public override string ToString() => $"missing keys [{MessageText.List(MissingKeys)}], unexpected keys [{MessageText.List(UnexpectedKeys)}]";
}
