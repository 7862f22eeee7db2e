using Nonlinear.Activations;
using Nonlinear.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace Nonlinear.Tests.Activations;

/// <summary>
/// The fused kernel is the optimisation, the composition of primitive ops the specification: value and gradient (through
/// Apply + Backward) of each core activation agree with the same function composed from Ops.
/// </summary>
public partial class ActivationCompositionTests(ITestOutputHelper output)
{
    private static Tensor C(float v) => Ops.Scalar(v);
    private static Tensor Relu(Tensor x) => Ops.Clamp(x, 0, float.PositiveInfinity);
    // min(x, 0) as x − relu(x): clamp's inclusive gradient would otherwise count x = 0 in both parts.
    private static Tensor NegPart(Tensor x) => x - Relu(x);
    private static Tensor Sigmoid(Tensor x) => Ops.Div(Tensor.Ones(1), Ops.AddScalar(Ops.Exp(-x), 1));
    private static Tensor Softplus(Tensor x) => Ops.Log(Ops.AddScalar(Ops.Exp(x), 1));

    private static readonly Dictionary<string, Func<Tensor, Tensor>> Core = new()
    {
        ["identity"] = x => Ops.MulScalar(x, 1),
        ["relu"] = Relu,
        ["leaky_relu"] = x => Relu(x) + NegPart(x) * 0.01f,
        ["sigmoid"] = Sigmoid,
        ["relu6"] = x => Ops.Clamp(x, 0, 6),
        ["elu"] = x => Relu(x) + Ops.AddScalar(Ops.Exp(NegPart(x)), -1),
        ["selu"] = x => (Relu(x) + Ops.AddScalar(Ops.Exp(NegPart(x)), -1) * (float)Selu.Alpha) * (float)Selu.Scale,
        ["celu"] = x => Relu(x) + Ops.AddScalar(Ops.Exp(NegPart(x)), -1),
        ["gelu"] = x => x * Ops.AddScalar(Ops.Erf(x * 0.70710678f), 1) * 0.5f,
        ["gelu_tanh"] = x => x * Ops.AddScalar(Ops.Tanh((x + x * x * x * 0.044715f) * 0.7978845608f), 1) * 0.5f,
        ["silu"] = x => x * Sigmoid(x),
        ["mish"] = x => x * Ops.Tanh(Softplus(x)),
        ["softplus"] = Softplus,
        ["softsign"] = x => x / Ops.AddScalar(Ops.Abs(x), 1),
        ["tanh"] = x => { var e = Ops.Exp(x * 2f); return Ops.AddScalar(e, -1) / Ops.AddScalar(e, 1); },
        ["hard_sigmoid"] = x => Ops.Clamp(Ops.AddScalar(x, 3), 0, 6) * (1f / 6),
        ["hard_tanh"] = x => Ops.Clamp(x, -1, 1),
        ["hard_swish"] = x => x * Ops.Clamp(Ops.AddScalar(x, 3), 0, 6) * (1f / 6),
        ["log_sigmoid"] = x => -Softplus(-x),
        ["tanhshrink"] = x => x - Ops.Tanh(x),
        ["softshrink"] = x => x - Ops.Clamp(x, -0.5f, 0.5f),
        // A data-dependent mask (no gradient) is the "where" of this piecewise function.
        ["hardshrink"] = x => x * Tensor.FromArray(x.ToArray().Select(v => MathF.Abs(v) > 0.5f ? 1f : 0f).ToArray(), x.Shape.ToArray()),
    };

    /// <summary>Compositions from primitive ops, for inputs in [−6, 6] (where the naive forms do not overflow).</summary>
    public static readonly Dictionary<string, Func<Tensor, Tensor>> Compositions = Build();

    // Each family adds its own compositions in a partial file (ActivationCompositionTests.*.cs).
    static partial void AddPiecewise(Dictionary<string, Func<Tensor, Tensor>> d);
    static partial void AddSmooth(Dictionary<string, Func<Tensor, Tensor>> d);

    private static Dictionary<string, Func<Tensor, Tensor>> Build()
    {
        var d = new Dictionary<string, Func<Tensor, Tensor>>(Core);
        AddPiecewise(d);
        AddSmooth(d);
        return d;
    }

    [Fact]
    public void EveryCatalogEntryHasAComposition()
    {
        foreach (var e in ActivationCatalog.All)
            Assert.True(Compositions.ContainsKey(e.Info.Name), $"{e.Info.Name} has no composition in ActivationCompositionTests");
    }

    [Theory, MemberData(nameof(ActivationTestData.Names), MemberType = typeof(ActivationTestData))]
    public void FusedEqualsCompositionInValueAndGradient(string name)
    {
        var act = ActivationCatalog.Get(name).Create();
        var kinks = act.Info.Kinks;
        var xs = Enumerable.Range(0, 2401).Select(i => -6f + i * 0.005f)
            .Where(v => !kinks.Any(k => Math.Abs(v - k) < 1e-3)).ToArray();
        var seed = new Rng(5);
        var g = Tensor.FromArray(xs.Select(_ => seed.NextFloat() + 0.5f).ToArray(), xs.Length);

        var x1 = Tensor.FromArray((float[])xs.Clone(), xs.Length).RequireGrad();
        var y1 = act.Apply(x1);
        y1.Backward(g);
        var x2 = Tensor.FromArray((float[])xs.Clone(), xs.Length).RequireGrad();
        var y2 = Compositions[name](x2);
        y2.Backward(g);

        float[] f1 = y1.ToArray(), f2 = y2.ToArray(), d1 = x1.Grad!.ToArray(), d2 = x2.Grad!.ToArray();
        double scale = ActivationTolerances.CompositionScale(name);
        double worstF = 0, worstD = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            // Both sides are float; the composition rounds at every step and cancels where the fused form does not
            // (1 + erf, x − tanh x), so the bound is relative plus an absolute term at the scale of the inputs.
            double tf = 2e-6 * Math.Abs(f1[i]) + 2e-7 * scale * Math.Max(1, Math.Abs(xs[i]));
            double td = 2e-6 * Math.Abs(d1[i]) + 2e-7 * scale * Math.Max(1, Math.Abs(xs[i]));
            Assert.True(Math.Abs(f1[i] - f2[i]) <= tf, $"{name}({xs[i]:R}): fused {f1[i]:R}, composition {f2[i]:R}");
            Assert.True(Math.Abs(d1[i] - d2[i]) <= td, $"{name}′({xs[i]:R})·g: fused {d1[i]:R}, composition {d2[i]:R}");
            worstF = Math.Max(worstF, Math.Abs(f1[i] - f2[i]) / tf);
            worstD = Math.Max(worstD, Math.Abs(d1[i] - d2[i]) / td);
        }
        output.WriteLine($"{name}: max |fused − composition| / tolerance: value {worstF:F3}, gradient {worstD:F3}");
    }
}
