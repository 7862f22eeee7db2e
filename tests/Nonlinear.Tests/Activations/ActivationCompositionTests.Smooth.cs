using Nonlinear.Tensors;

namespace Nonlinear.Tests.Activations;

public partial class ActivationCompositionTests
{
    // The smooth families' compositions live in SmoothCompositions.
    static partial void AddSmooth(Dictionary<string, Func<Tensor, Tensor>> d)
    {
        foreach (var (name, f) in SmoothCompositions.All) d.Add(name, f);
    }
}
