namespace Nonlinear.Activations;

/// <summary>
/// f(x) = min(max(0, x), ceiling); f′ = 0 &lt; x &lt; ceiling ? 1 : 0. Equivalent to torch.nn.Hardtanh(0, 20). Hannun
/// et al., "Deep Speech: Scaling up end-to-end speech recognition", 2014.
/// The catalog row only: the kernel is <see cref="BoundedRelu"/>'s (same function, Deep Speech's name and default).
/// </summary>
internal static class ClippedRelu
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "clipped_relu", Aliases = ["clipped_rectifier"], Family = "relu",
        Formula = "min(max(0, x), ceiling)",
        Derivative = "0 < x < ceiling ? 1 : 0",
        Parameters =
        [
            new("ceiling", 20.0, "clip value", "Chainer clipped_relu z = 20; MATLAB clippedReluLayer needs one", Min: 1e-06),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.BoundedAbove | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input, Kinks = [0.0, 20.0],
        Paper = "Deep Speech: Scaling up end-to-end speech recognition", Year = 2014,
        Notes = "bounded_relu with Deep Speech's ceiling 20 as default. f′ = 0 at both kinks. ∂f/∂ceiling = x > ceiling ? 1 : 0.",
        PyTorch = "torch.nn.Hardtanh(0, 20)",
    }, p => new BoundedRelu((float)p[0]));
}
