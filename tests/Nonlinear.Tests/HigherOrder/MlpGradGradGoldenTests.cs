using System.Text.Json;
using Nonlinear.Activations;
using Nonlinear.Autodiff;
using Nonlinear.Tensors;
using Xunit;
using O = Nonlinear.Tensors.Ops;

namespace Nonlinear.Tests.HigherOrder;

/// <summary>
/// Gradient of a gradient through a 3-layer tanh MLP against torch (fixtures/mlp_gradgrad_torch.json from
/// tools/golden/mlp_gradgrad_torch.py, torch in float64 on the float32-rounded weights): g = ∂Σy/∂x and
/// ∂Σg²/∂(x, W, b). Bound: our float32 pass carries a few roundings per op over ~10 ops on values of order 1, so
/// 1e-5·(1 + |value|) is a few hundred ulps of headroom and still fails for any wrong term (those are O(0.1)).
/// </summary>
public class MlpGradGradGoldenTests
{
    private static readonly JsonElement Golden =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "mlp_gradgrad_torch.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatchesTorch(bool catalogTanh)
    {
        var shapes = Golden.GetProperty("shapes");
        var p = new Dictionary<string, Tensor>();
        foreach (var name in new[] { "W1", "b1", "W2", "b2", "W3", "b3" })
            p[name] = Tensor.FromArray(Floats(Golden.GetProperty("params").GetProperty(name)), shapes.GetProperty(name).EnumerateArray().Select(v => v.GetInt32()).ToArray()).RequireGrad();
        var x = Tensor.FromArray(Floats(Golden.GetProperty("x")), 4, 3).RequireGrad();
        var tanh = ActivationCatalog.Get("tanh").Create();
        Tensor Act(Tensor t) => catalogTanh ? tanh.Apply(t) : O.Tanh(t);
        var h = Act(O.Linear(x, p["W1"], p["b1"]));
        h = Act(O.Linear(h, p["W2"], p["b2"]));
        var y = O.Sum(O.Linear(h, p["W3"], p["b3"]));
        var g = Autograd.Grad([y], [x], createGraph: true)[0];
        Near("g", Doubles(Golden.GetProperty("g")), g.ToArray());
        var z = O.Sum(O.Mul(g, g));
        Near("z", [Golden.GetProperty("z").GetDouble()], z.ToArray());
        string[] names = ["x", "W1", "b1", "W2", "b2", "W3", "b3"];
        var grads = Autograd.Grad([z], [x, p["W1"], p["b1"], p["W2"], p["b2"], p["W3"], p["b3"]], allowUnused: true);
        for (int i = 0; i < names.Length; i++) Near("dz/d" + names[i], Doubles(Golden.GetProperty("dz").GetProperty(names[i])), grads[i].ToArray());
    }

    private static void Near(string what, double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"{what}[{i}]: {actual[i]:R}, torch {expected[i]:R}");
    }
}
