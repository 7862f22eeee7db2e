using System.Runtime.CompilerServices;
using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = x·σ(1.702·x), the sigmoid approximation of GELU used by CLIP; f′ = σ(1.702x)·(1 + 1.702x·σ(−1.702x)).
/// Hendrycks and Gimpel, "Gaussian Error Linear Units (GELUs)", 2016. Runs on the <see cref="Silu"/> kernel with β = 1.702.
/// </summary>
internal static class QuickGelu
{
    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = Make(new ActivationInfo
    {
        Name = "quick_gelu", Aliases = ["gelu_sigmoid"], Family = "gated",
        Formula = "x·σ(1.702·x)",
        Derivative = "σ(1.702·x)·(1 + 1.702·x·σ(−1.702·x))",
        Properties = ActivationProperties.Smooth | ActivationProperties.BoundedBelow | ActivationProperties.SelfGated,
        Uses = BackwardUses.Input,
        Paper = "Gaussian Error Linear Units (GELUs)", Year = 2016,
        Notes = "Hugging Face's QuickGELUActivation / OpenAI CLIP's QuickGELU. The constant 1.702 is stored as float.",
    });

    private static ActivationEntry Make(ActivationInfo info) => new(info, _ => new Activation<Silu>(info, new Silu(1.702f), [], ForwardDerivativePath.Fused<Silu>()));
}
