using System.Numerics;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// One sparse-autoencoder architecture: its parameters, its exact forward and its hand-written backward. Each
/// architecture is one file and one line in <see cref="All"/>; the names are SAELens's <c>architecture</c> values.
/// </summary>
public abstract class SaeArchitecture
{
    private protected SaeArchitecture() { }

    /// <summary>The SAELens name (<c>standard</c>, <c>topk</c>, …).</summary>
    public abstract string Name { get; }

    /// <summary>One line: the code, the loss and the paper.</summary>
    public abstract string Description { get; }

    /// <summary>True when <see cref="SaeConfig.K"/> matters.</summary>
    public virtual bool UsesK => false;

    /// <summary>True when the training steps renormalise decoder rows to unit norm (all but standard, whose L1 is weighted by the norms).</summary>
    public virtual bool UnitNormDecoder => true;

    /// <summary>The parameters beyond W_enc, W_dec, b_dec (b_enc, thresholds, gates), in file order.</summary>
    internal abstract IReadOnlyList<string> ExtraParameters { get; }

    internal virtual void Validate(SaeConfig cfg) { }

    /// <summary>Initial value of an extra parameter (W_enc, W_dec, b_dec are set by the caller).</summary>
    internal virtual double InitialValue(string name, SaeConfig cfg) => 0;

    /// <summary>
    /// Training loss and, when <c>s.Grads</c> is set, its gradient: the architecture encodes <c>s.Pre</c> and
    /// the shared buffers, calls the shared decode/backward helpers in <see cref="SaeStep{T}"/>, and adds its own terms.
    /// </summary>
    internal abstract void Loss<T>(SaeStep<T> s) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Inference code f from the pre-activations of one batch (no batch-level rule, no gradient).</summary>
    internal abstract void Encode<T>(SaeStep<T> s) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The registered architectures, by SAELens name.</summary>
    public static IReadOnlyList<SaeArchitecture> All { get; } =
    [
        StandardSae.Instance,
        TopKSae.Instance,
        BatchTopKSae.Instance,
        JumpReluSae.Instance,
        GatedSae.Instance,
        MatryoshkaSae.Instance,
    ];

    /// <summary>The architecture called <paramref name="name"/> (case-insensitive; <c>relu</c> is accepted for standard).</summary>
    /// <exception cref="InvalidInputException">No architecture has that name.</exception>
    public static SaeArchitecture Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().ToLowerInvariant();
        if (key == "relu") key = "standard";
        return All.FirstOrDefault(a => a.Name == key)
            ?? throw new InvalidInputException($"architecture '{name}' is unknown; expected one of {string.Join(", ", All.Select(a => a.Name))}.");
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
