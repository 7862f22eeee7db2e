namespace Nonlinear.Activations;

/// <summary>Shape properties of an activation, for filtering the catalog.</summary>
[Flags]
public enum ActivationProperties
{
    /// <summary>No listed property.</summary>
    None = 0,
    /// <summary>Non-decreasing everywhere.</summary>
    Monotonic = 1,
    /// <summary>Continuously differentiable everywhere (C¹).</summary>
    Smooth = 2,
    /// <summary>Has a finite supremum.</summary>
    BoundedAbove = 4,
    /// <summary>Has a finite infimum.</summary>
    BoundedBelow = 8,
    /// <summary>
    /// f(0) = 0 and f takes both signs without fading to zero on one side, so outputs can average to zero: its limits at −∞
    /// and +∞ are negative and positive, or f is odd, or periodic. (Self-gated forms such as silu, whose negative lobe
    /// returns to 0, are not zero-centred; elu, leaky_relu and tanh are.)
    /// </summary>
    ZeroCentred = 16,
    /// <summary>Of the form x·g(x) with a gate g.</summary>
    SelfGated = 32,
    /// <summary>Periodic (or periodic plus a linear term).</summary>
    Periodic = 64,
    /// <summary>
    /// f(a·x) = a·f(x) for every a &gt; 0 (relu, leaky_relu, identity, …): scaling a channel's input scales its output, so
    /// cross-layer equalization (Nagel et al. 2019) can move scale between the layers around it without changing the function.
    /// </summary>
    PositivelyHomogeneous = 128,
}

/// <summary>Which tensors the backward rule reads, and so which ones the forward pass must keep.</summary>
public enum BackwardUses
{
    /// <summary>The derivative is written in terms of the input x.</summary>
    Input,
    /// <summary>The derivative is written in terms of the output y (e.g. sigmoid: y(1−y)); x need not be kept.</summary>
    Output,
    /// <summary>Both x and y are read.</summary>
    InputAndOutput,
}

/// <summary>A hyper-parameter of an activation with its default and where other frameworks differ.</summary>
/// <param name="Name">PyTorch's keyword (e.g. "negative_slope").</param>
/// <param name="Default">Our default, equal to PyTorch's where PyTorch has the function.</param>
/// <param name="Description">What it controls.</param>
/// <param name="OtherDefaults">Other frameworks' defaults where they differ, e.g. "Keras 0.3, JAX 0.01".</param>
/// <param name="Min">Smallest accepted value.</param>
/// <param name="Max">Largest accepted value.</param>
public sealed record ActivationParameter(string Name, double Default, string Description, string? OtherDefaults = null,
    double Min = double.NegativeInfinity, double Max = double.PositiveInfinity);

/// <summary>Everything about one activation except its code: names, formulas, parameters, origin, properties.</summary>
public sealed record ActivationInfo
{
    /// <summary>Canonical snake_case name, e.g. "gelu_tanh".</summary>
    public required string Name { get; init; }
    /// <summary>Other names it is known by (case-insensitive lookup).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
    /// <summary>Family for grouping: "relu", "sigmoid", "gated", "exponential", "shrink", "identity", …</summary>
    public required string Family { get; init; }
    /// <summary>f(x) as text.</summary>
    public required string Formula { get; init; }
    /// <summary>f′ as text, in terms of x and/or y.</summary>
    public required string Derivative { get; init; }
    /// <summary>Hyper-parameters in positional order.</summary>
    public IReadOnlyList<ActivationParameter> Parameters { get; init; } = [];
    /// <summary>Shape properties at default parameters.</summary>
    public ActivationProperties Properties { get; init; }
    /// <summary>What backward reads.</summary>
    public BackwardUses Uses { get; init; } = BackwardUses.Input;
    /// <summary>Points where f is not differentiable (finite-difference checks skip their neighbourhood).</summary>
    public IReadOnlyList<double> Kinks { get; init; } = [];
    /// <summary>The paper that introduced or named it.</summary>
    public string? Paper { get; init; }
    /// <summary>Year of that paper.</summary>
    public int? Year { get; init; }
    /// <summary>Conventions (kink values, framework differences) a user should know.</summary>
    public string? Notes { get; init; }
    /// <summary>The PyTorch equivalent, if any (e.g. "torch.nn.GELU(approximate='tanh')").</summary>
    public string? PyTorch { get; init; }
    /// <summary>
    /// True when the entry has a fused vector formula (every SIMD lane at once); false when its vector path applies the
    /// scalar float formula lane by lane (<see cref="LaneWise{S}"/>). Set by <see cref="ActivationEntry"/> from the kernel type.
    /// </summary>
    public bool FusedVectorPath { get; init; } = true;
    /// <summary>False when backward deliberately differs from the exact derivative (e.g. a straight-through rule).</summary>
    public bool BackwardIsExact { get; init; } = true;
}
