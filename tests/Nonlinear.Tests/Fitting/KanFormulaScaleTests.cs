using Nonlinear.Autodiff;
using Nonlinear.Kan;
using Nonlinear.Kan.Interpret;
using Nonlinear.Kan.Symbolic;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Fitting;

/// <summary>
/// The formula of a symbolic KAN keeps hidden-layer terms with small coefficients that a later layer scales up: the
/// held-out run of sqrt(1 + x² + y²) (seed 2) printed `formula: 0.4529*sqrt(4.875*y^2 + 4.899)` — x² gone, no warning —
/// because an edge −8.4e-5·(8.5·x)² was dropped as "c &lt; 1e-4" before sqrt(−793·h − 644) multiplied it by 793.
/// </summary>
public sealed class KanFormulaScaleTests
{
    // The symbolic edges that run ended with (constants as printed by fit), written into a [2, 1, 1] KAN.
    private static KanNetwork HeldOutNetwork()
    {
        var net = new KanNetwork([2, 1, 1], KanOptions.Pykan, new Rng(1));
        SymbolicEdge Edge(string f, double a, double b, double c, double d) =>
            KanAutoSymbolic.ToEdge(new SymbolicFit(SymbolicLibrary.Get(f), a, b, c, d, 1, 0));
        net.Layers[0].SetSymbolic(0, 0, Edge("x^2", 8.538, -0.0002939, -8.433e-5, 0.00305));
        net.Layers[0].SetSymbolic(0, 1, Edge("x^2", -7.432, -0.0002036, -0.0001113, -0.8218));
        net.Layers[1].SetSymbolic(0, 0, Edge("sqrt", -792.9, -644.3, 0.4529, -3.649e-5));
        return net;
    }

    [Fact]
    public void ASmallHiddenCoefficientThatALaterLayerScalesUpIsKept()
    {
        var net = HeldOutNetwork();
        var formula = KanFormula.Build(net.Layers);
        // 793·8.433e-5·8.538² ≈ 793·1.113e-4·7.432² ≈ 4.874: x² weighs as much as y² (the broken formula had no x at all).
        string text = formula[0].ToString();
        Assert.Contains("x", text);
        Assert.Contains("y", text);
        var x = Tensor.Rand(new Rng(3), [200, 2], -1f, 1f);
        Tensor y;
        using (Autograd.NoGrad()) y = net.Forward(x);
        // The printed (4-digit) formula predicts what the network computes, to the rounding of its constants
        // (the network's outputs are ≈ 1–1.7; before the fix the error was 0.27, the missing x² term).
        double rmse = KanFormula.Rmse(formula, x, y);
        Assert.True(rmse < 2e-3, $"formula RMSE {rmse:G4} against the network");
    }

    [Fact]
    public void FormulaRmseIsTheRmseOfTheExpressionItself()
    {
        // y = 2x + 1 exactly, against targets off by +0.5 on every row: RMSE 0.5.
        var net = new KanNetwork([1, 1], KanOptions.Pykan, new Rng(1));
        net.Layers[0].SetSymbolic(0, 0, KanAutoSymbolic.ToEdge(new SymbolicFit(SymbolicLibrary.Get("x"), 2, 1, 1, 0, 1, 0)));
        var formula = KanFormula.Build(net.Layers);
        var x = Tensor.From(new float[,] { { -1f }, { 0f }, { 0.5f }, { 2f } });
        var y = Tensor.From(new float[,] { { -0.5f }, { 1.5f }, { 2.5f }, { 5.5f } });
        Assert.Equal(0.5, KanFormula.Rmse(formula, x, y), 12);
    }
}
