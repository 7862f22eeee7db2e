using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>Which Hebbian PCA rule <see cref="GeneralizedHebbian"/> applies.</summary>
public enum HebbianRule
{
    /// <summary>
    /// Sanger 1989, the generalized Hebbian algorithm: ΔW = η·(y·xᵀ − LT(y·yᵀ)·W), LT = lower triangle with the
    /// diagonal. Row i converges to the i-th principal component (up to sign). With one row it is Oja's rule.
    /// </summary>
    Sanger,
    /// <summary>
    /// Oja's rule (1982; the subspace rule of Oja 1989 for several rows): ΔW = η·(y·xᵀ − y·yᵀ·W). The rows converge to an
    /// orthonormal basis of the top principal subspace, not to the components themselves; with one row, to the first.
    /// </summary>
    Oja,
}

/// <summary>
/// A linear layer y = W·x trained by a local Hebbian rule (no gradient, no backpropagation): each update uses only
/// the layer's input and output. Inputs should be centred (PCA of the raw second moment otherwise). Double precision.
/// </summary>
public sealed class GeneralizedHebbian
{
    private readonly double[] _w; // [components, inputs]
    private readonly double[] _y;
    private readonly double[] _residual; // [components, inputs], reused by every step

    /// <summary>Small random initial weights N(0, 0.1²) from <paramref name="rng"/>.</summary>
    public GeneralizedHebbian(int inputs, int components, HebbianRule rule, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inputs < 1) throw new ArgumentOutOfRangeException(nameof(inputs), inputs, "inputs must be ≥ 1.");
        if (components < 1 || components > inputs) throw new ArgumentOutOfRangeException(nameof(components), components, $"components must be in [1, {inputs}].");
        Inputs = inputs;
        Components = components;
        Rule = rule;
        _w = new double[inputs * components];
        for (int i = 0; i < _w.Length; i++) _w[i] = 0.1 * rng.NextGaussian();
        _y = new double[components];
        _residual = new double[inputs * components];
    }

    /// <summary>Input dimension.</summary>
    public int Inputs { get; }

    /// <summary>Rows of W.</summary>
    public int Components { get; }

    /// <summary>The rule.</summary>
    public HebbianRule Rule { get; }

    /// <summary>W [components, inputs], row-major (a copy).</summary>
    public double[] Weights => (double[])_w.Clone();

    /// <summary>One update on sample <paramref name="x"/> with learning rate <paramref name="lr"/>.</summary>
    public void Step(ReadOnlySpan<double> x, double lr)
    {
        if (x.Length != Inputs) throw new ArgumentException($"sample has {x.Length} values; expected {Inputs}.", nameof(x));
        int d = Inputs;
        for (int i = 0; i < Components; i++)
        {
            double s = 0;
            for (int j = 0; j < d; j++) s += _w[i * d + j] * x[j];
            _y[i] = s;
        }
        // Sanger: row i sees x minus the reconstruction by rows 0..i (itself included); Oja: by all rows.
        // Computing the residual before touching W keeps the update simultaneous, as the matrix formula is.
        var residual = _residual;
        for (int i = 0; i < Components; i++)
        {
            int last = Rule == HebbianRule.Sanger ? i : Components - 1;
            for (int j = 0; j < d; j++)
            {
                double r = x[j];
                for (int k = 0; k <= last; k++) r -= _y[k] * _w[k * d + j];
                residual[i * d + j] = r;
            }
        }
        for (int i = 0; i < Components; i++)
            for (int j = 0; j < d; j++) _w[i * d + j] += lr * _y[i] * residual[i * d + j];
    }
}
