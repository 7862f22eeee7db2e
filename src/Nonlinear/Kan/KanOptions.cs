using System.Globalization;

namespace Nonlinear.Kan;

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
    private KanBasisSpec[] _bases = [BSplineBasis.Descriptor.DefaultSpec];

    /// <summary>
    /// The activation spaces of each edge, each a basis with its arguments (<see cref="KanBasisSpec"/>, e.g.
    /// "rbf(centres=12)"). One entry: a plain KAN of that basis. Several: an S-KAN layer whose output node o mixes the
    /// spaces with learned weights softmax(α_o) (see <see cref="KanLayer"/>). Each basis may appear once.
    /// </summary>
    /// <remarks>
    /// The per-basis properties below (<see cref="GridSize"/>, <see cref="RbfCentres"/>, …) read and rebind the
    /// arguments of the built-in bases in this list; set <see cref="Bases"/> first in an initializer, since assigning it
    /// replaces the specs those properties changed.
    /// </remarks>
    public IReadOnlyList<KanBasisSpec> Bases
    {
        get => _bases;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0 || value.Any(b => b is null) || value.Select(b => b.Name).Distinct().Count() != value.Count)
                throw new ArgumentException($"Bases must list at least one basis, each once; got [{string.Join(",", value)}].", nameof(value));
            _bases = value.ToArray();
        }
    }

    /// <summary>B-spline grid intervals G (pykan's grid / num): the bspline basis's "grid".</summary>
    public int GridSize { get => (int)Arg(BSplineBasis.Descriptor, "grid"); init => Set(BSplineBasis.Descriptor, "grid", value); }
    /// <summary>B-spline order k (pykan's k; 3 = cubic): the bspline basis's "k".</summary>
    public int SplineOrder { get => (int)Arg(BSplineBasis.Descriptor, "k"); init => Set(BSplineBasis.Descriptor, "k", value); }
    /// <summary>Lower end of the initial B-spline grid (pykan's grid_range[0]): the bspline basis's "min".</summary>
    public double GridMin { get => Arg(BSplineBasis.Descriptor, "min"); init => Set(BSplineBasis.Descriptor, "min", value); }
    /// <summary>Upper end of the initial B-spline grid (pykan's grid_range[1]): the bspline basis's "max".</summary>
    public double GridMax { get => Arg(BSplineBasis.Descriptor, "max"); init => Set(BSplineBasis.Descriptor, "max", value); }
    /// <summary>Grid update mix: 0 = quantile (adaptive) grid, 1 = uniform (pykan's grid_eps).</summary>
    public double GridEps { get; init; } = 0.02;
    /// <summary>Scale of the initial spline noise (pykan's noise_scale; MultKAN's default 0.3): the bspline basis's "noise_scale".</summary>
    public double NoiseScale { get => Arg(BSplineBasis.Descriptor, "noise_scale"); init => Set(BSplineBasis.Descriptor, "noise_scale", value); }
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
    /// <summary>RBF centres R: the rbf basis's "centres".</summary>
    public int RbfCentres { get => (int)Arg(RbfBasis.Descriptor, "centres"); init => Set(RbfBasis.Descriptor, "centres", value); }
    /// <summary>First RBF centre: the rbf basis's "min".</summary>
    public double RbfMin { get => Arg(RbfBasis.Descriptor, "min"); init => Set(RbfBasis.Descriptor, "min", value); }
    /// <summary>Last RBF centre: the rbf basis's "max".</summary>
    public double RbfMax { get => Arg(RbfBasis.Descriptor, "max"); init => Set(RbfBasis.Descriptor, "max", value); }
    /// <summary>Fourier frequencies G (g = 1..G): the fourier basis's "frequencies".</summary>
    public int FourierFrequencies { get => (int)Arg(FourierBasis.Descriptor, "frequencies"); init => Set(FourierBasis.Descriptor, "frequencies", value); }
    /// <summary>Chebyshev degree D: the chebyshev basis's "degree".</summary>
    public int ChebyshevDegree { get => (int)Arg(ChebyshevBasis.Descriptor, "degree"); init => Set(ChebyshevBasis.Descriptor, "degree", value); }

    /// <summary>pykan's KANLayer (the defaults).</summary>
    public static KanOptions Pykan { get; } = new();
    /// <summary>FastKAN: LayerNorm, 8 Gaussian RBFs over [−2, 2], SiLU base branch with bias.</summary>
    public static KanOptions FastKan { get; } = new() { Bases = [RbfBasis.Descriptor.DefaultSpec], LayerNorm = true, Bias = true, ScaleSp = 1 };
    /// <summary>FourierKAN: 5 frequencies, no base branch, bias.</summary>
    public static KanOptions FourierKan { get; } = new() { Bases = [FourierBasis.Descriptor.DefaultSpec], BaseBranch = false, Bias = true };
    /// <summary>ChebyKAN: degree 4 on tanh-squashed input, no base branch.</summary>
    public static KanOptions ChebyKan { get; } = new() { Bases = [ChebyshevBasis.Descriptor.DefaultSpec], BaseBranch = false };
    /// <summary>S-KAN: each output node selects among B-spline, RBF, Fourier and Chebyshev spaces (SiLU base branch, bias).</summary>
    public static KanOptions Selectable { get; } = new()
    {
        Bases =
        [
            BSplineBasis.Descriptor.DefaultSpec, RbfBasis.Descriptor.DefaultSpec, FourierBasis.Descriptor.DefaultSpec,
            ChebyshevBasis.Descriptor.DefaultSpec,
        ], Bias = true,
    };

    /// <summary>Readable one-line summary.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"KanOptions(bases=[{string.Join(",", Bases)}], base={BaseBranch}, bias={Bias}, layernorm={LayerNorm})");

    /// <summary>Same bases and layer settings (the bases compared element by element).</summary>
    public bool Equals(KanOptions? other) =>
        other is not null && _bases.AsSpan().SequenceEqual(other._bases) && GridEps.Equals(other.GridEps) && ScaleBaseMu.Equals(other.ScaleBaseMu)
        && ScaleBaseSigma.Equals(other.ScaleBaseSigma) && ScaleSp.Equals(other.ScaleSp) && BaseBranch == other.BaseBranch && Bias == other.Bias
        && LayerNorm == other.LayerNorm;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(string.Join(",", _bases), GridEps, ScaleSp, BaseBranch, Bias, LayerNorm);

    // The argument of the first spec of that basis, or its declared default when Bases does not list the basis (so
    // FastKan.GridSize reads 5, as before the list replaced the flat options).
    private double Arg(KanBasisDescriptor basis, string name) =>
        _bases.FirstOrDefault(b => ReferenceEquals(b.Basis, basis)) is { } spec ? spec[name] : basis.Parameters[basis.IndexOf(name)].Default;

    // Rebinding an argument of a basis the list lacks would be silently lost: refuse it.
    private void Set(KanBasisDescriptor basis, string name, double value)
    {
        int s = Array.FindIndex(_bases, b => ReferenceEquals(b.Basis, basis));
        if (s < 0)
            throw new ArgumentException($"{basis.Name} argument '{name}' cannot be set: Bases [{string.Join(",", _bases)}] lists no {basis.Name} basis (set Bases first).", name);
        var bases = _bases.ToArray();
        bases[s] = bases[s].With(name, value);
        _bases = bases;
    }
}
