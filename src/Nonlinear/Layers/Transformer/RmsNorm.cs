using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// Root-mean-square normalisation over the last dimension (torch.nn.RMSNorm(features, eps)):
/// y = x·r·γ with r = 1/√(mean(x²) + ε). Backward with x̂ = x·r and h = dy·γ: dx = r·(h − x̂·mean(h·x̂)),
/// dγ = Σ_rows dy·x̂. One fused op; row statistics and dγ accumulate in double.
/// Zhang and Sennrich 2019, https://arxiv.org/abs/1910.07467.
/// </summary>
public sealed class RmsNorm : Module
{
    /// <summary>Size of the normalised (last) dimension.</summary>
    public int Features { get; }
    /// <summary>ε added to the mean square.</summary>
    public float Eps { get; }
    /// <summary>Scale γ [features], ones at init.</summary>
    public Tensor Weight { get; }

    /// <summary>Normalises the last dimension of size <paramref name="features"/>.</summary>
    public RmsNorm(int features, float eps = 1e-5f)
    {
        if (features <= 0) throw new ArgumentException($"features must be > 0; got {features}.", nameof(features));
        if (!(eps > 0f)) throw new ArgumentException($"eps must be > 0; got {eps}.", nameof(eps));
        Features = features;
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones(features));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0 || x.Size(-1) != Features)
            throw new ArgumentException($"RmsNorm expects input [..., {Features}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        return Apply(x, Weight, Eps);
    }

    /// <summary>The op: x [..., n] normalised by its row RMS and scaled by <paramref name="weight"/> [n].</summary>
    internal static Tensor Apply(Tensor x, Tensor weight, float eps)
    {
        var xc = x.Contiguous();
        var wc = weight.Contiguous();
        int n = wc.Length, rows = xc.Length / n;
        var xs = xc.AsReadOnlySpan();
        var w = wc.AsReadOnlySpan();
        var result = TensorArena.Empty(xc.Shape.ToArray());   // every element is written below
        var y = result.AsSpanUntracked();
        var rstd = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = xs.Slice(r * n, n);
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (double)row[i] * row[i];
            float rs = (float)(1.0 / Math.Sqrt(ss / n + eps));
            rstd[r] = rs;
            var yr = y.Slice(r * n, n);
            for (int i = 0; i < n; i++) yr[i] = row[i] * rs * w[i];
        }
        return Autograd.Record(result, "rms_norm", [xc, wc], g => Backward(g.Contiguous(), xc, wc, rstd, n));
    }

    private static Tensor?[] Backward(Tensor g, Tensor xc, Tensor wc, float[] rstd, int n)
    {
        var xs = xc.AsReadOnlySpan();
        var gs = g.AsReadOnlySpan();
        var w = wc.AsReadOnlySpan();
        var dxT = TensorArena.Empty(xc.Shape.ToArray());   // every element is written below
        var dx = dxT.AsSpanUntracked();
        var dw = new double[n];
        for (int r = 0; r < rstd.Length; r++)
        {
            var xr = xs.Slice(r * n, n);
            var gr = gs.Slice(r * n, n);
            float rs = rstd[r];
            double dot = 0;   // Σ h·x̂
            for (int i = 0; i < n; i++)
            {
                double xh = (double)xr[i] * rs;
                dot += gr[i] * w[i] * xh;
                dw[i] += gr[i] * xh;
            }
            float m = (float)(dot / n);
            var dr = dx.Slice(r * n, n);
            for (int i = 0; i < n; i++) dr[i] = rs * (gr[i] * w[i] - xr[i] * rs * m);
        }
        return [xc.RequiresGrad ? dxT : null,
                wc.RequiresGrad ? Tensor.FromArray(Array.ConvertAll(dw, v => (float)v), n) : null];
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"({Features},), eps={PyFloat(Eps)}";
}
