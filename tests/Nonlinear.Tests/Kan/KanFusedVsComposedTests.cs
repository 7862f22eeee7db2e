using Nonlinear.Kan;
using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Kan;

/// <summary>
/// Fused == composed: the KanLayer op against the same layer built from primitive tensor ops (elementwise ops, softmax,
/// MatMul) sharing the same parameter tensors, in value and in every gradient. The composition is the specification
/// (STYLE habit 3); the B-spline order-0 indicators enter as constants (piecewise constant: zero derivative a.e.).
/// </summary>
public sealed class KanFusedVsComposedTests
{
    private static Tensor Col(Tensor coef, int j) => Ops.Reshape(Ops.Slice(coef, 2, j, 1), coef.Size(0), coef.Size(1));

    // B_j(x) for every column of x [N, in], composed from ops; per-input knots enter as [1, in] constant rows.
    private static Tensor[] Features(KanBasis basis, Tensor x)
    {
        int n = x.Size(0), inF = x.Size(1);
        switch (basis)
        {
            case RbfBasis r:
                return Enumerable.Range(0, r.Count).Select(j =>
                {
                    var t = Ops.MulScalar(Ops.AddScalar(x, -(float)r.Centre(j)), (float)(1 / r.Width));
                    return Ops.Exp(Ops.Neg(Ops.Mul(t, t)));
                }).ToArray();
            case ChebyshevBasis c:
            {
                var t = Ops.Tanh(x);
                var b = new List<Tensor> { Ops.AddScalar(Ops.MulScalar(x, 0f), 1f), t };
                for (int d = 2; d <= c.Degree; d++) b.Add(Ops.Sub(Ops.MulScalar(Ops.Mul(t, b[d - 1]), 2f), b[d - 2]));
                return b.ToArray();
            }
            case FourierBasis f:
                return Enumerable.Range(1, f.Frequencies).Select(g => Ops.Cos(Ops.MulScalar(x, g)))
                    .Concat(Enumerable.Range(1, f.Frequencies).Select(g => Ops.Sin(Ops.MulScalar(x, g)))).ToArray();
            case BSplineBasis s:
            {
                int nk = s.GridSize + 2 * s.Order + 1;
                Tensor Knot(int m) { var v = new float[inF]; for (int i = 0; i < inF; i++) v[i] = (float)s.Knot(i, m); return Tensor.FromArray(v, 1, inF); }
                var xv = x.ToArray();
                var b = new Tensor[nk - 1];
                for (int m = 0; m < nk - 1; m++)
                {
                    var ind = new float[n * inF];
                    for (int q = 0; q < ind.Length; q++) ind[q] = s.Knot(q % inF, m) <= xv[q] && xv[q] < s.Knot(q % inF, m + 1) ? 1f : 0f;
                    b[m] = Tensor.FromArray(ind, n, inF);
                }
                for (int p = 1; p <= s.Order; p++)
                    for (int m = 0; m < nk - 1 - p; m++)
                    {
                        var left = Ops.Div(Ops.Sub(x, Knot(m)), Ops.Sub(Knot(m + p), Knot(m)));
                        var right = Ops.Div(Ops.Sub(Knot(m + p + 1), x), Ops.Sub(Knot(m + p + 1), Knot(m + 1)));
                        b[m] = Ops.Add(Ops.Mul(left, b[m]), Ops.Mul(right, b[m + 1]));
                    }
                return b.Take(s.Count).ToArray();
            }
            default: throw new ArgumentException(basis.ToString());
        }
    }

    private static Tensor Composed(KanLayer layer, Tensor x)
    {
        var mask = layer.Mask;
        var edgeScale = Ops.Mul(mask, layer.ScaleSp);
        Tensor? y = null;
        void Add(Tensor features, Tensor weight) { var t = Ops.MatMul(features, Ops.Transpose(weight, 0, 1)); y = y is null ? t : Ops.Add(y, t); }
        if (layer.ScaleBase is not null) Add(new ActivationLayer("silu").Forward(x), Ops.Mul(mask, layer.ScaleBase));
        var mix = layer.MixLogits is null ? null : Ops.Softmax(layer.MixLogits);
        for (int s = 0; s < layer.Spaces.Count; s++)
        {
            var scale = mix is null ? edgeScale : Ops.Mul(edgeScale, Ops.Slice(mix, 1, s, 1));
            var feats = Features(layer.Spaces[s], x);
            for (int j = 0; j < feats.Length; j++) Add(feats[j], Ops.Mul(scale, Col(layer.Coefficients[s], j)));
        }
        return layer.Bias is null ? y! : Ops.Add(y!, layer.Bias);
    }

    [Theory]
    [InlineData("pykan-bias")]
    [InlineData("rbf")]
    [InlineData("fourier")]
    [InlineData("chebyshev")]
    [InlineData("skan")]
    public void FusedLayerEqualsItsComposition(string config) => Check(config, 5, 4, 16);

    // Large enough (out·K ≥ 2^15) that folding W and unfolding gW split the output rows across threads; the result
    // must not depend on the thread count, bit for bit, and must still equal the composition.
    [Theory]
    [InlineData("pykan-bias")]
    [InlineData("skan")]
    public void ParallelFoldEqualsItsCompositionAtEveryThreadCount(string config)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var one = Check(config, 64, 60, 8);
            Parallelism.MaxThreads = 3;
            var three = Check(config, 64, 60, 8);
            Assert.Equal(one.Y, three.Y);
            foreach (var (name, g) in one.G) Assert.Equal(g, three.G[name]);
        }
        finally { Parallelism.MaxThreads = saved; }
    }

    private static (float[] Y, Dictionary<string, float[]> G) Check(string config, int inF, int outF, int rows)
    {
        var rng = new Rng(41);
        var layer = KanLayerGradTests.Make(config, inF, outF, rng);
        layer.SetEdgeMask(2, 3, false);
        var xv = new float[rows * inF];
        for (int q = 0; q < xv.Length; q++) xv[q] = (float)(2.6 * rng.NextDouble() - 1.3);
        var gy = Tensor.Randn(rng, [rows, outF]);
        (float[] Y, Dictionary<string, float[]> G) Run(Func<Tensor, Tensor> f)
        {
            layer.ZeroGrad(setToNone: true);
            var x = Tensor.FromArray((float[])xv.Clone(), rows, inF).RequireGrad();
            var y = f(x);
            y.Backward(gy);
            var g = layer.NamedParameters().ToDictionary(p => p.Name, p => p.Tensor.Grad!.ToArray());
            g["x"] = x.Grad!.ToArray();
            return (y.ToArray(), g);
        }
        var fused = Run(layer.Forward);
        var composed = Run(x => Composed(layer, x));
        // Same math in float, different summation orders: ≤ 1e-5 of each tensor's largest magnitude.
        double ymax = composed.Y.Max(v => Math.Abs(v));
        for (int q = 0; q < fused.Y.Length; q++) Assert.True(Math.Abs(fused.Y[q] - composed.Y[q]) <= 1e-5 * ymax, $"{config} y[{q}]: fused {fused.Y[q]}, composed {composed.Y[q]}");
        foreach (var (name, g) in composed.G)
        {
            double gmax = g.Max(v => Math.Abs(v));
            Assert.True(gmax > 0, $"{config}: {name} gradient is all zero");
            for (int q = 0; q < g.Length; q++)
                Assert.True(Math.Abs(fused.G[name][q] - g[q]) <= 1e-5 * gmax, $"{config} ∂/∂{name}[{q}]: fused {fused.G[name][q]}, composed {g[q]}");
        }
        return fused;
    }
}
