using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

/// <summary>
/// One activation space of a KAN edge: a fixed family of functions B_0 … B_{Count−1} of one input whose learned
/// linear combination φ(x) = Σ_j c_j·B_j(x) is the edge function. Every basis expands a batch into features that
/// one shared GEMM then contracts with the coefficients (<see cref="KanLayer"/>), so adding a basis means adding a
/// kernel, not a layer.
/// </summary>
/// <remarks>
/// <para>A new basis is one file: this subclass plus a static <see cref="KanBasisDescriptor"/> (name, arguments with defaults
/// and bounds, factory), registered by one line in <see cref="KanBases"/> or, outside the library, by
/// <see cref="KanBases.Register"/>; layers then build it from a <see cref="KanBasisSpec"/> such as "rbf(centres=12)".
/// The SIMD kernel structs (<see cref="IKanBasisKernel"/>) are how the built-ins are fast, not part of that contract:
/// plain loops over the spans are a valid implementation.</para>
/// <para>
/// Feature layout: see <see cref="IKanBasisKernel"/> (B_j(x_i) at column offset + j·inputs + i). <see cref="Reference"/>
/// and <see cref="ReferenceDerivative"/> evaluate the same functions in double; <see cref="KanLayer"/> uses them for
/// per-edge evaluation (plots, symbolic fitting) and the tests compare them with an independent formula.</para>
/// </remarks>
public abstract class KanBasis
{
    /// <summary>Creates a basis over <paramref name="inputs"/> inputs.</summary>
    protected KanBasis(int inputs)
    {
        if (inputs <= 0) throw new ArgumentException($"inputs must be > 0; got {inputs}.", nameof(inputs));
        Inputs = inputs;
    }

    /// <summary>Short lower-case name ("bspline", "rbf", "fourier", "chebyshev"), used in parameter names.</summary>
    public abstract string Name { get; }
    /// <summary>Basis functions per input.</summary>
    public abstract int Count { get; }
    /// <summary>Number of inputs (per-input data such as grids has this many rows).</summary>
    public int Inputs { get; }

    /// <summary>features[r·ld + offset + j·Inputs + i] = B_j(x[r·Inputs + i]) for a row-major x [rows, Inputs].</summary>
    public abstract void Expand(ReadOnlySpan<float> x, int rows, Span<float> features, int ld, int offset, SimdTier tier = SimdTier.Auto);

    /// <summary>dx[r·Inputs + i] += Σ_j g[r·ld + offset + j·Inputs + i]·B′_j(x[r·Inputs + i]).</summary>
    public abstract void AccumulateInputGrad(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> g, int ld, int offset, Span<float> dx,
        SimdTier tier = SimdTier.Auto);

    /// <summary>B_j(x) of input <paramref name="input"/> in double.</summary>
    public abstract double Reference(int input, int j, double x);

    /// <summary>dB_j/dx of input <paramref name="input"/> in double.</summary>
    public abstract double ReferenceDerivative(int input, int j, double x);

    /// <summary>
    /// The features of x [n, Inputs] as recorded ops, [n, Count·Inputs] with column j·Inputs + i = B_j(x_i) (the layer's
    /// layout), differentiable to any order: the createGraph path of a KAN layer (PINNs, gradient penalties).
    /// </summary>
    /// <exception cref="InvalidOperationException">A basis defined outside this library that does not provide them.</exception>
    internal virtual Tensor RecordedFeatures(Tensor x) =>
        throw new InvalidOperationException($"KAN basis '{Name}' has no recorded features: createGraph (higher-order gradients) cannot pass through it.");

    /// <summary>Concatenates per-function columns [n, Inputs] into the layer's feature layout.</summary>
    private protected static Tensor Columns(IEnumerable<Tensor> perFunction) => Ops.Concat(perFunction.ToList(), 1);

    /// <summary>Fills coef [outputs, Inputs, Count] with this basis's customary initialisation (named in each subclass).</summary>
    public abstract void InitCoefficients(Span<float> coef, int outputs, Rng rng);

    /// <summary>Non-trainable state to save with the layer (e.g. the B-spline grid), as (name, tensor).</summary>
    public virtual IEnumerable<(string Name, Tensor Tensor)> Buffers => [];

    /// <summary>Called by the layer before each use: refreshes tables derived from buffers (which a checkpoint load may have changed).</summary>
    public virtual void Prepare() { }

    /// <summary>A short description such as "bspline(G=5, k=3)".</summary>
    public abstract override string ToString();
}
