using Nonlinear.Kernels;
using System.Text.Json;
using Nonlinear.Tensors;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.Layers;

/// <summary>
/// Conv2d, MaxPool2d, AvgPool2d and Unfold against PyTorch 1.13 (fixtures/conv_torch.json from tools/golden/conv_torch.py;
/// torch computed in float64 from the same float32 inputs, loss = Σ g⊙y). Bound per element: |ours − torch| ≤ (T+1)·u·M,
/// the float32 summation bound γ_T with u = 2⁻²⁴, T the most terms any output or gradient element sums, and M the same
/// computation on |inputs| and |g| (run by our op on absolute values). Selection (max pooling, unfold) has T = 0 forward.
/// </summary>
public class ConvTorchTests
{
    private const double U = 1.0 / (1 << 24);

    public static TheoryData<string> Cases()
    {
        var d = new TheoryData<string>();
        foreach (var c in Root.GetProperty("cases").EnumerateArray()) d.Add(c.GetProperty("name").GetString()!);
        return d;
    }

    private static readonly Lazy<JsonElement> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "conv_torch.json"))).RootElement);

    private static JsonElement Root => Doc.Value;

    private static float[] F(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
    private static int[] I(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    [Theory, MemberData(nameof(Cases))]
    public void MatchesTorch(string name)
    {
        var c = Root.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        string op = c.GetProperty("op").GetString()!;
        int[] k = I(c.GetProperty("kernel")), s = I(c.GetProperty("stride")), p = I(c.GetProperty("padding")), dl = I(c.GetProperty("dilation"));
        var win = new Window2d(k[0], k[1], s[0], s[1], p[0], p[1], dl[0], dl[1]);
        int[] xShape = I(c.GetProperty("x_shape")), yShape = I(c.GetProperty("y_shape"));
        float[] xv = F(c.GetProperty("x")), gv = F(c.GetProperty("g"));
        float[]? wv = op == "conv2d" ? F(c.GetProperty("w")) : null;
        float[]? bv = op == "conv2d" && c.GetProperty("b").ValueKind != JsonValueKind.Null ? F(c.GetProperty("b")) : null;
        int[]? wShape = op == "conv2d" ? I(c.GetProperty("w_shape")) : null;

        // Run the op on (x, w, b, g), or on their absolute values for the magnitudes M.
        (Tensor Y, Tensor X, Tensor? W, Tensor? B) Run(bool abs)
        {
            float[] A(float[] v) => abs ? v.Select(MathF.Abs).ToArray() : (float[])v.Clone();
            var x = Tensor.FromArray(A(xv), xShape).RequireGrad();
            var w = wv is null ? null : Tensor.FromArray(A(wv), wShape!).RequireGrad();
            var b = bv is null ? null : Tensor.FromArray(A(bv), bv.Length).RequireGrad();
            var y = op switch
            {
                "conv2d" => O.Conv2d(x, w!, b, win),
                "max_pool2d" => O.MaxPool2d(x, win),
                "avg_pool2d" => O.AvgPool2d(x, win),
                "unfold" => O.Unfold(x, win),
                _ => throw new InvalidOperationException(op),
            };
            y.Backward(Tensor.FromArray(A(gv), y.Shape.ToArray()));
            return (y, x, w, b);
        }
        var ours = Run(false);
        var mag = Run(true);
        Assert.Equal(yShape, ours.Y.Shape.ToArray());

        int n = xShape[0], taps = k[0] * k[1], l = yShape[^1] * (yShape.Length == 4 ? yShape[2] : 1);
        int terms = op switch
        {
            "conv2d" => Math.Max(xShape[1] * taps, Math.Max(wShape![0] * taps, n * l)),
            "avg_pool2d" => taps,
            _ => 0,
        };
        int gradTerms = Math.Max(terms, taps);
        Check("y", F(c.GetProperty("y")), ours.Y, mag.Y, terms);
        Check("dx", F(c.GetProperty("dx")), ours.X.Grad!, mag.X.Grad!, gradTerms);
        if (ours.W is not null) Check("dw", F(c.GetProperty("dw")), ours.W.Grad!, mag.W!.Grad!, gradTerms);
        if (ours.B is not null) Check("db", F(c.GetProperty("db")), ours.B.Grad!, mag.B!.Grad!, gradTerms);
    }

    private static void Check(string what, float[] torch, Tensor ours, Tensor magnitude, int terms)
    {
        var o = ours.ToArray();
        var m = magnitude.ToArray();
        Assert.Equal(torch.Length, o.Length);
        for (int i = 0; i < o.Length; i++)
        {
            // (terms + 1) rounding steps of float32 plus the rounding of torch's double result to the fixture's float.
            double bound = (terms + 1) * U * m[i] * 1.0001 + U * Math.Abs(torch[i]);
            double err = Math.Abs((double)o[i] - torch[i]);
            if (!(err <= bound))
                Assert.Fail($"{what}[{i}]: torch {torch[i]:R}, ours {o[i]:R}, |Δ| {err:G3} > bound {bound:G3} ({terms} terms, M = {m[i]:G4})");
        }
    }

    [Fact]
    public void Conv2dLayerRegistersWeightAndBiasWithTorchsInitBounds()
    {
        var conv = new Nonlinear.Layers.Conv2d(3, 8, 5, new Rng(1), padding: 2);
        Assert.Equal(["weight", "bias"], conv.NamedParameters().Select(p => p.Name));
        Assert.Equal([8, 3, 5, 5], conv.Weight.Shape.ToArray());
        double bound = 1 / Math.Sqrt(3 * 25);
        Assert.All(conv.Weight.ToArray(), v => Assert.InRange(v, -bound, bound));
        Assert.All(conv.Bias!.ToArray(), v => Assert.InRange(v, -bound, bound));
        // Uniform on ±bound: the largest |w| of 600 draws comes within 2 % of the bound.
        Assert.True(conv.Weight.ToArray().Max(MathF.Abs) > 0.98 * bound);
        Assert.Equal([2, 8, 16, 16], conv.Forward(Tensor.Zeros(2, 3, 16, 16)).Shape.ToArray());
        var pool = new Nonlinear.Layers.MaxPool2d(2);
        Assert.Equal([2, 8, 8, 8], pool.Forward(conv.Forward(Tensor.Zeros(2, 3, 16, 16))).Shape.ToArray());
        Assert.Equal([2, 3, 5, 5], new Nonlinear.Layers.AvgPool2d(3).Forward(Tensor.Zeros(2, 3, 16, 16)).Shape.ToArray());
    }
}
