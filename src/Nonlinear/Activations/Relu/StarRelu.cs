using Nonlinear.Kernels;

namespace Nonlinear.Activations;

/// <summary>
/// f(x) = scale·max(0, x)² + bias; f′ = 2·scale·max(0, x). Yu et al., "MetaFormer Baselines for Vision", 2022.
/// </summary>
internal readonly struct StarRelu(float scale, float bias) : IParametricActivationKernel, IReferenceSecondDerivative<StarRelu>
{
    private readonly float _scale = scale, _bias = bias;

    /// <summary>Catalog row.</summary>
    public static ActivationEntry Entry { get; } = ActivationEntry.Parametric(new ActivationInfo
    {
        Name = "star_relu", Aliases = ["starrelu"], Family = "relu",
        Formula = "scale·max(0, x)² + bias",
        Derivative = "2·scale·max(0, x)",
        Parameters =
        [
            new("scale", 0.8944271909999159, "multiplier of relu², 1/√(E[relu(z)⁴] − E[relu(z)²]²) for z ~ N(0, 1)", "MetaFormer code initialises 1.0 and learns it"),
            new("bias", -0.4472135954999579, "offset making the output mean 0 for z ~ N(0, 1)", "MetaFormer code initialises 0.0 and learns it"),
        ],
        Properties = ActivationProperties.Monotonic | ActivationProperties.Smooth | ActivationProperties.BoundedBelow,
        Uses = BackwardUses.Input,
        Paper = "MetaFormer Baselines for Vision", Year = 2022,
        Notes = "Defaults are the paper's analytic values (√0.8 and −√0.2), which normalise relu² for standard normal inputs. ∂f/∂scale = max(0, x)², ∂f/∂bias = 1.",
    }, p => new StarRelu((float)p[0], (float)p[1]));

    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Forward<V>(V x) where V : struct, ISimdVec<V>
    {
        V r = V.Max(x, V.Create(0f));
        return V.Fma(V.Create(_scale) * r, r, V.Create(_bias));
    }
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V Derivative<V>(V x, V y) where V : struct, ISimdVec<V> =>
        V.Create(2f * _scale) * V.Max(x, V.Create(0f));
    /// <inheritdoc/>
    public double Reference(double x)
    {
        double r = Math.Max(x, 0);
        return _scale * r * r + _bias;
    }
    /// <inheritdoc/>
    public double ReferenceDerivative(double x) => 2.0 * _scale * Math.Max(x, 0);
    /// <inheritdoc/>
    public double ReferenceSecondDerivative(double x) => double.IsNaN(x) ? x : x > 0 ? 2.0 * _scale : 0;
    /// <inheritdoc/>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public V ParameterDerivative<V>(V x, V y, int index) where V : struct, ISimdVec<V>
    {
        V r = V.Max(x, V.Create(0f));
        return index == 0 ? r * r : V.Create(1f);
    }
    /// <inheritdoc/>
    public double ReferenceParameterDerivative(double x, int index)
    {
        double r = Math.Max(x, 0);
        return index == 0 ? r * r : 1;
    }
}
