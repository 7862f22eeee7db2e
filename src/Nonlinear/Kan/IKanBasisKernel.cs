using Nonlinear.Kernels;

namespace Nonlinear.Kan;

/// <summary>
/// The span-level half of a KAN basis: evaluates the <see cref="Count"/> basis functions B_j of a run of
/// consecutive inputs i, …, i + V.Count − 1 at once (one lane per input), so per-input data such as B-spline
/// knots is loaded contiguously and no gather is needed. Written once over <see cref="ISimdVec{TSelf}"/>; the
/// <see cref="Scalar"/> lane serves the tail with the same formula, so every tier gives the same bits.
/// </summary>
/// <remarks>
/// Feature layout ("basis-major within a row"): value B_j(x_i) of one sample lives at <c>dst[j·stride + i]</c>,
/// with stride = the layer's input count. A row of features is therefore Count contiguous blocks of the inputs,
/// which is what lets both the expansion and the input gradient run at full vector width.
/// </remarks>
internal interface IKanBasisKernel
{
    /// <summary>Basis functions per input.</summary>
    int Count { get; }

    /// <summary>Scratch floats per lane the kernel needs (the driver passes <c>ScratchPerLane·V.Count</c> floats, uninitialised).</summary>
    int ScratchPerLane { get; }

    /// <summary>Writes B_j(x) for j in [0, Count) to <c>dst[j·stride]</c>; lane l of x is input <paramref name="i"/> + l.</summary>
    void Expand<V>(int i, V x, ref float dst, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>;

    /// <summary>Returns Σ_j g[j·stride]·B′_j(x) (the chain rule through the expansion); lane l is input <paramref name="i"/> + l.</summary>
    V InputGrad<V>(int i, V x, ref float g, nint stride, ref float scratch) where V : unmanaged, ISimdVec<V>;
}
