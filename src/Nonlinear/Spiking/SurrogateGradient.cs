using System.Globalization;

namespace Nonlinear.Spiking;

/// <summary>
/// The backward of a Heaviside spike S = H(u) (u = membrane − threshold; H(0) = 0 as in snnTorch): forward is always the
/// step, backward multiplies the incoming gradient by <see cref="Derivative"/>(u) instead of the Dirac delta. One
/// subclass per surrogate (one file each) plus one line in <see cref="SurrogateCatalog"/>; each declares its slope
/// parameter, a float derivative for the time loop and a double reference the tests hold it to.
/// </summary>
public abstract class SurrogateGradient
{
    /// <summary>The catalog name ("fast_sigmoid").</summary>
    public abstract string Name { get; }

    /// <summary>The slope (steepness) parameter; its meaning and default are the subclass's (snnTorch's).</summary>
    public double Slope { get; }

    /// <summary>Stores a validated slope.</summary>
    protected SurrogateGradient(double slope) => Slope = slope;

    /// <summary>The surrogate derivative ∂S/∂u at <paramref name="u"/>, in float, as the fused time loop uses it.</summary>
    public abstract float Derivative(float u);

    /// <summary>The same derivative in double: the declaration the float path is tested against.</summary>
    public abstract double Reference(double u);

    /// <summary>
    /// Runs the vectorised BPTT of <see cref="LifKernel"/> specialised for this surrogate's SIMD formula; false when the
    /// surrogate has none (a subclass from outside the catalog), and the layer then runs the reference loop.
    /// </summary>
    internal virtual bool TryLifBackward(LifKernel.Job job, LifKernel.Gradients gradients) => false;

    /// <summary>"name(slope)", which <see cref="SurrogateCatalog.Parse"/> reads back to an equal surrogate.</summary>
    public override string ToString() => $"{Name}({Slope.ToString("R", CultureInfo.InvariantCulture)})";

    /// <summary>Same name and slope.</summary>
    public override bool Equals(object? obj) => obj is SurrogateGradient s && s.Name == Name && s.Slope.Equals(Slope);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Slope);
}
