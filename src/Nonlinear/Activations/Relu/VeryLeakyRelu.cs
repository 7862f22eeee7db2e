namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x ≥ 0 ? x : negative_slope·x; f′ = x &gt; 0 ? 1 : negative_slope.
/// The catalog row only: the kernel is <see cref="LeakyRelu"/>'s (same function, Lasagne's name and default).
/// </summary>
internal static class VeryLeakyRelu
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "very_leaky_relu", Aliases = ["very_leaky_rectify"], Family = "relu",
        Formula = "x ≥ 0 ? x : negative_slope·x",
        Derivative = "x > 0 ? 1 : negative_slope",
        Parameters =
        [
            new("negative_slope", 0.3333333333333333, "slope for x < 0", "Lasagne very_leaky_rectify leakiness 1/3"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.ZeroCentred | ActivationProperties.PositivelyHomogeneous,
        Uses = BackwardUses.Input, Kinks = [0.0],
        Notes = "Lasagne's very_leaky_rectify (leakiness 1/3); no paper of its own (the leaky ReLU of Maas et al., 2013, with a much larger slope). f′(0) = negative_slope. ∂f/∂negative_slope = min(x, 0).",
    }, p => new LeakyRelu((float)p[0]));
}
