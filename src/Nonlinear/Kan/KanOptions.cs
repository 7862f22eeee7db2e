namespace Nonlinear.Kan;

/// <summary>The families of edge functions a <see cref="KanLayer"/> can learn.</summary>
public enum KanBasisKind
{
    /// <summary>B-splines of order k on G intervals (<see cref="BSplineBasis"/>, pykan / efficient-kan).</summary>
    BSpline,
    /// <summary>Gaussian radial basis functions (<see cref="RbfBasis"/>, FastKAN).</summary>
    Rbf,
    /// <summary>cos(g·x), sin(g·x) for g = 1..G (<see cref="FourierBasis"/>, FourierKAN / FKAN).</summary>
    Fourier,
    /// <summary>Chebyshev polynomials T_n(tanh x) (<see cref="ChebyshevBasis"/>, ChebyKAN).</summary>
    Chebyshev,
}

/// <summary>How a cubic B-spline <see cref="KanLayer"/> computes (see <see cref="KanLayer.SplinePath"/>).</summary>
public enum KanSplinePath
{
    /// <summary>The cheaper of the two by the layer's cost model.</summary>
    Auto,
    /// <summary>Dense feature matrix and GEMMs over all G + k functions.</summary>
    Dense,
    /// <summary>Only the k + 1 live functions of each input (cubic splines only).</summary>
    Sparse,
}

/// <summary>
/// Configuration of a <see cref="KanLayer"/>. Defaults are pykan's KANLayer/MultKAN (B-spline, G = 5, k = 3 on [−1, 1],
/// SiLU base branch, noise_scale 0.3, scale_base_mu 0, scale_base_sigma 1, scale_sp 1, grid_eps 0.02); the presets
/// <see cref="FastKan"/>, <see cref="FourierKan"/>, <see cref="ChebyKan"/> and <see cref="Selectable"/> give the other papers' set-ups.
/// </summary>
public sealed record KanOptions
{
    /// <summary>
    /// The activation spaces of each edge. One entry: a plain KAN of that basis. Several: an S-KAN layer whose
    /// output node o mixes the spaces with learned weights softmax(α_o) (see <see cref="KanLayer"/>).
    /// </summary>
    public KanBasisKind[] Bases { get; init; } = [KanBasisKind.BSpline];
    /// <summary>B-spline grid intervals G (pykan's grid / num).</summary>
    public int GridSize { get; init; } = 5;
    /// <summary>B-spline order k (pykan's k; 3 = cubic).</summary>
    public int SplineOrder { get; init; } = 3;
    /// <summary>Lower end of the initial B-spline grid (pykan's grid_range[0]).</summary>
    public double GridMin { get; init; } = -1;
    /// <summary>Upper end of the initial B-spline grid (pykan's grid_range[1]).</summary>
    public double GridMax { get; init; } = 1;
    /// <summary>Grid update mix: 0 = quantile (adaptive) grid, 1 = uniform (pykan's grid_eps).</summary>
    public double GridEps { get; init; } = 0.02;
    /// <summary>Scale of the initial spline noise (pykan's noise_scale; MultKAN's default 0.3).</summary>
    public double NoiseScale { get; init; } = 0.3;
    /// <summary>Mean of scale_base·√in (pykan's scale_base_mu).</summary>
    public double ScaleBaseMu { get; init; }
    /// <summary>Half-width of the uniform spread of scale_base·√in (pykan's scale_base_sigma).</summary>
    public double ScaleBaseSigma { get; init; } = 1;
    /// <summary>Initial scale_sp (divided by √in when the first basis is a B-spline, as pykan does).</summary>
    public double ScaleSp { get; init; } = 1;
    /// <summary>Add the residual branch scale_base·silu(x) to every edge.</summary>
    public bool BaseBranch { get; init; } = true;
    /// <summary>Add a learnable bias per output (zero at init).</summary>
    public bool Bias { get; init; }
    /// <summary>Normalise the input with a LayerNorm before both branches (FastKAN).</summary>
    public bool LayerNorm { get; init; }
    /// <summary>RBF centres R.</summary>
    public int RbfCentres { get; init; } = 8;
    /// <summary>First RBF centre.</summary>
    public double RbfMin { get; init; } = -2;
    /// <summary>Last RBF centre.</summary>
    public double RbfMax { get; init; } = 2;
    /// <summary>Fourier frequencies G (g = 1..G).</summary>
    public int FourierFrequencies { get; init; } = 5;
    /// <summary>Chebyshev degree D.</summary>
    public int ChebyshevDegree { get; init; } = 4;

    /// <summary>pykan's KANLayer (the defaults).</summary>
    public static KanOptions Pykan { get; } = new();
    /// <summary>FastKAN: LayerNorm, 8 Gaussian RBFs over [−2, 2], SiLU base branch with bias.</summary>
    public static KanOptions FastKan { get; } = new() { Bases = [KanBasisKind.Rbf], LayerNorm = true, Bias = true, ScaleSp = 1 };
    /// <summary>FourierKAN: 5 frequencies, no base branch, bias.</summary>
    public static KanOptions FourierKan { get; } = new() { Bases = [KanBasisKind.Fourier], BaseBranch = false, Bias = true };
    /// <summary>ChebyKAN: degree 4 on tanh-squashed input, no base branch.</summary>
    public static KanOptions ChebyKan { get; } = new() { Bases = [KanBasisKind.Chebyshev], BaseBranch = false };
    /// <summary>S-KAN: each output node selects among B-spline, RBF, Fourier and Chebyshev spaces (SiLU base branch, bias).</summary>
    public static KanOptions Selectable { get; } = new()
    {
        Bases = [KanBasisKind.BSpline, KanBasisKind.Rbf, KanBasisKind.Fourier, KanBasisKind.Chebyshev], Bias = true,
    };

    /// <summary>Readable one-line summary.</summary>
    public override string ToString() =>
        $"KanOptions(bases=[{string.Join(",", Bases)}], G={GridSize}, k={SplineOrder}, range=[{GridMin}, {GridMax}], base={BaseBranch}, bias={Bias}, layernorm={LayerNorm})";
}
