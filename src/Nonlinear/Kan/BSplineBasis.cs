using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

/// <summary>
/// B-splines of order k (degree k) on G intervals per input, the basis of the original KAN (pykan's KANLayer):
/// grid points g_0 … g_G (uniform over [gridMin, gridMax] at construction, per input after a grid update) extended by k
/// points of the end spacing on each side, giving knots t_0 … t_{G+2k} and G + k functions; B_j(x) = 0 outside
/// [t_j, t_{j+k+1}). Inside [g_0, g_G) they sum to 1 (partition of unity).
/// </summary>
/// <remarks>
/// Liu et al., "KAN: Kolmogorov-Arnold Networks", 2024. The grid buffer has pykan's shape [inputs, G+2k+1].
/// Initialisation (pykan): spline values at the G + 1 grid points drawn from U(−½, ½)·noiseScale/G, turned into
/// coefficients by ridge least squares (λ = 1e-8, as pykan's curve2coef).
/// </remarks>
public sealed class BSplineBasis : KanBasis
{
    private readonly float[] _knots;     // knot-major copy of the grid for the kernel
    private readonly float[] _inv;       // reciprocal spans, see BSplineKernel

    /// <summary>
    /// "bspline(grid=5,k=3,min=-1,max=1,noise_scale=0.3)": pykan's KANLayer defaults; "@G" in a model string sets grid,
    /// and scale_sp starts at ScaleSp/√in when this is a layer's first basis (as pykan).
    /// </summary>
    public static KanBasisDescriptor Descriptor { get; } = new("bspline", ["b-spline", "spline"],
        [
            new("grid", 5, 1, 1000, true, "grid intervals G (pykan's grid)"),
            new("k", 3, 1, 8, true, "spline order k (3 = cubic)"),
            new("min", -1, -1e6, 1e6, false, "lower end of the initial grid (pykan's grid_range[0])"),
            new("max", 1, -1e6, 1e6, false, "upper end of the initial grid (pykan's grid_range[1])"),
            new("noise_scale", 0.3, 0, 1e6, false, "scale of the initial spline noise (pykan's noise_scale)"),
        ],
        "B-splines of order k on G intervals (pykan, efficient-kan)",
        (inputs, s) => new BSplineBasis(inputs, s.Int("grid"), s.Int("k"), s["min"], s["max"], s["noise_scale"]),
        s => s["min"] < s["max"] ? null : FormattableString.Invariant($"min must be < max; got [{s["min"]}, {s["max"]}]."),
        gridParameter: "grid", scaleSpOverRootIn: true);

    /// <summary>Grid intervals G.</summary>
    public int GridSize { get; }
    /// <summary>Spline order k (3 = cubic).</summary>
    public int Order { get; }
    /// <summary>Noise scale of the initial spline values (pykan's noise_scale).</summary>
    public double NoiseScale { get; }
    /// <summary>Knots [Inputs, G + 2k + 1] (pykan's grid), the extended grid of each input.</summary>
    public Tensor Grid { get; }

    /// <summary>Uniform grid of <paramref name="gridSize"/> intervals over [gridMin, gridMax], extended by k on each side.</summary>
    public BSplineBasis(int inputs, int gridSize, int order, double gridMin = -1, double gridMax = 1, double noiseScale = 0.3) : base(inputs)
    {
        if (gridSize < 1 || gridSize > 1000) throw new ArgumentException($"gridSize must be in [1, 1000]; got {gridSize}.", nameof(gridSize));
        if (order < 1 || order > 8) throw new ArgumentException($"order must be in [1, 8]; got {order}.", nameof(order));
        if (!(gridMax > gridMin) || double.IsInfinity(gridMax - gridMin))
            throw new ArgumentException($"grid range must be finite with gridMin < gridMax; got [{gridMin}, {gridMax}].", nameof(gridMax));
        GridSize = gridSize;
        Order = order;
        NoiseScale = noiseScale;
        int nk = gridSize + 2 * order + 1;
        Grid = Tensor.Zeros(inputs, nk);
        _knots = new float[nk * inputs];
        _inv = new float[order * (nk - 1) * inputs];
        var pts = new double[gridSize + 1];
        for (int g = 0; g <= gridSize; g++) pts[g] = gridMin + (gridMax - gridMin) * g / gridSize;
        for (int i = 0; i < inputs; i++) SetGrid(i, pts);
    }

    /// <inheritdoc/>
    public override string Name => "bspline";
    /// <inheritdoc/>
    public override int Count => GridSize + Order;
    /// <inheritdoc/>
    public override IEnumerable<(string Name, Tensor Tensor)> Buffers => [("grid", Grid)];
    /// <inheritdoc/>
    public override string ToString() => $"bspline(G={GridSize}, k={Order})";

    /// <summary>
    /// Sets input <paramref name="input"/>'s grid points g_0 &lt; … &lt; g_G (G + 1 values) and extends them by k points of
    /// spacing (g_G − g_0)/G on each side (pykan's extend_grid).
    /// </summary>
    public void SetGrid(int input, ReadOnlySpan<double> points)
    {
        if ((uint)input >= (uint)Inputs) throw new ArgumentOutOfRangeException(nameof(input), input, $"input must be in [0, {Inputs}).");
        if (points.Length != GridSize + 1) throw new ArgumentException($"points has {points.Length} values; expected G + 1 = {GridSize + 1}.", nameof(points));
        for (int g = 1; g < points.Length; g++)
            if (!(points[g] > points[g - 1])) throw new ArgumentException($"grid points must increase strictly; points[{g - 1}] = {points[g - 1]}, points[{g}] = {points[g]}.", nameof(points));
        double h = (points[^1] - points[0]) / GridSize;
        var row = Grid.AsSpanUntracked().Slice(input * (GridSize + 2 * Order + 1), GridSize + 2 * Order + 1);
        for (int m = 0; m < row.Length; m++)
        {
            int g = m - Order;
            row[m] = (float)(g < 0 ? points[0] + g * h : g > GridSize ? points[^1] + (g - GridSize) * h : points[g]);
        }
        Prepare();
    }

    /// <summary>Knot t_m of input <paramref name="input"/>.</summary>
    public double Knot(int input, int m) => Grid.AsSpanUntracked()[input * (GridSize + 2 * Order + 1) + m];

    /// <inheritdoc/>
    public override void Prepare()
    {
        int nk = GridSize + 2 * Order + 1, n0 = nk - 1, inputs = Inputs;
        var grid = Grid.AsSpanUntracked();
        for (int i = 0; i < inputs; i++)
            for (int m = 0; m < nk; m++) _knots[m * inputs + i] = grid[i * nk + m];
        for (int p = 1; p <= Order; p++)
            for (int m = 0; m < n0; m++)
                for (int i = 0; i < inputs; i++)
                {
                    float span = m + p < nk ? _knots[(m + p) * inputs + i] - _knots[m * inputs + i] : 0f;
                    _inv[((p - 1) * n0 + m) * inputs + i] = span > 0f ? 1f / span : 0f;
                }
    }

    private BSplineKernel Kernel => new(Order, GridSize + 2 * Order, Inputs, _knots, _inv);

    /// <summary>The kernel over the current knots, for the sparse path's window expansion.</summary>
    internal BSplineKernel KernelForSparse => Kernel;

    /// <inheritdoc/>
    public override void Expand(ReadOnlySpan<float> x, int rows, Span<float> features, int ld, int offset, SimdTier tier = SimdTier.Auto) =>
        KanBasisDriver.Expand(Kernel, x, rows, Inputs, features, ld, offset, tier);

    /// <inheritdoc/>
    public override void AccumulateInputGrad(ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> g, int ld, int offset, Span<float> dx,
        SimdTier tier = SimdTier.Auto) => KanBasisDriver.AccumulateInputGrad(Kernel, x, rows, Inputs, g, ld, offset, dx, tier);

    /// <summary>All G + k values B_j(x) of input <paramref name="input"/> in double (Cox–de Boor on the float knots).</summary>
    public void ReferenceAll(int input, double x, Span<double> values, int order = -1)
    {
        int k = order < 0 ? Order : order, nk = GridSize + 2 * Order + 1;
        Span<double> b = stackalloc double[nk - 1];
        for (int m = 0; m < nk - 1; m++) b[m] = Knot(input, m) <= x && x < Knot(input, m + 1) ? 1 : 0;
        for (int p = 1; p <= k; p++)
            for (int m = 0; m < nk - 1 - p; m++)
            {
                double l = Knot(input, m + p) - Knot(input, m), r = Knot(input, m + p + 1) - Knot(input, m + 1);
                b[m] = (l > 0 ? (x - Knot(input, m)) / l * b[m] : 0) + (r > 0 ? (Knot(input, m + p + 1) - x) / r * b[m + 1] : 0);
            }
        b[..(nk - 1 - k)].CopyTo(values);
    }

    /// <inheritdoc/>
    internal override Tensor RecordedFeatures(Tensor x) => KanLayer.SplineFeatures(this, x, 0);

    /// <inheritdoc/>
    public override double Reference(int input, int j, double x)
    {
        Span<double> v = stackalloc double[GridSize + 2 * Order];
        ReferenceAll(input, x, v);
        return v[j];
    }

    /// <inheritdoc/>
    public override double ReferenceDerivative(int input, int j, double x)
    {
        Span<double> v = stackalloc double[GridSize + 2 * Order];
        ReferenceAll(input, x, v, Order - 1);
        double l = Knot(input, j + Order) - Knot(input, j), r = Knot(input, j + Order + 1) - Knot(input, j + 1);
        return Order * ((l > 0 ? v[j] / l : 0) - (r > 0 ? v[j + 1] / r : 0));
    }

    /// <inheritdoc/>
    public override void InitCoefficients(Span<float> coef, int outputs, Rng rng)
    {
        int nb = Count, npts = GridSize + 1;
        var design = new double[npts * nb];
        var rhs = new double[npts * outputs];
        var sol = new double[nb * outputs];
        // Draw in pykan's order (grid point, input, output) so one seed gives one set of noises whatever the solve does.
        var noise = new double[npts * Inputs * outputs];
        for (int q = 0; q < noise.Length; q++) noise[q] = (rng.NextDouble() - 0.5) * NoiseScale / GridSize;
        for (int i = 0; i < Inputs; i++)
        {
            for (int g = 0; g < npts; g++)
            {
                ReferenceAll(i, Knot(i, g + Order), design.AsSpan(g * nb, nb));
                for (int o = 0; o < outputs; o++) rhs[g * outputs + o] = noise[(g * Inputs + i) * outputs + o];
            }
            LeastSquares.SolveRidge(design, npts, nb, rhs, outputs, 1e-8, sol);
            for (int o = 0; o < outputs; o++)
                for (int j = 0; j < nb; j++) coef[(o * Inputs + i) * nb + j] = (float)sol[j * outputs + o];
        }
    }
}
