using Nonlinear.Activations;
using Xunit;
using static Nonlinear.Tests.Activations.ActivationTestData;

namespace Nonlinear.Tests.Activations;

/// <summary>
/// PositivelyHomogeneous (f(a·x) = a·f(x) for a &gt; 0) agrees with the double reference at default parameters in both
/// directions: declared entries satisfy it on every probe and scale, undeclared ones violate it somewhere. Cross-layer
/// equalization relies on the declaration, so a wrong one silently changes a quantized network's function.
/// </summary>
public class ActivationHomogeneityTests
{
    private static readonly double[] Scales = [0.5, 2, 3.7, 1.0 / 3, 10, 1e-3, 1e3];
    private static readonly double[] Probes = BuildProbes();

    private static double[] BuildProbes()
    {
        var xs = new List<double>();
        for (int i = 0; i <= 4000; i++) xs.Add(-20 + i * 1e-2);
        foreach (int k in new[] { 2, 3, 5, 10 }) { xs.Add(Math.Pow(10, k)); xs.Add(-Math.Pow(10, k)); }
        return xs.ToArray();
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ActivationTestData))]
    public void PositiveHomogeneityIsDeclaredExactlyWhenItHolds(string name)
    {
        var f = ActivationCatalog.Get(name).Create();
        bool declared = f.Info.Properties.HasFlag(ActivationProperties.PositivelyHomogeneous);
        string? counterexample = null;
        foreach (double a in Scales)
        {
            foreach (double x in Probes)
            {
                double lhs = f.Reference(a * x), rhs = a * f.Reference(x);
                if (double.IsNaN(lhs) && double.IsNaN(rhs)) continue;
                // Relative 1e-12: both sides are correctly rounded doubles of the same value, a few ulps apart at most.
                if (!(Math.Abs(lhs - rhs) <= 1e-12 * Math.Max(1e-300, Math.Max(Math.Abs(lhs), Math.Abs(rhs)))) && lhs != rhs)
                {
                    counterexample = $"f({a:R}·{x:R}) = {lhs:R} but {a:R}·f({x:R}) = {rhs:R}";
                    break;
                }
            }
            if (counterexample is not null) break;
        }
        if (declared) Assert.True(counterexample is null, $"{name} is declared PositivelyHomogeneous but {counterexample}");
        else Assert.True(counterexample is not null, $"{name} satisfies f(a·x) = a·f(x) on every probe but is not declared PositivelyHomogeneous");
    }

    [Fact]
    public void TheRectifiersAndIdentityAreDeclared()
    {
        foreach (var n in new[] { "relu", "leaky_relu", "prelu_fixed", "identity", "abs" })
            Assert.True(ActivationCatalog.Get(n).Info.Properties.HasFlag(ActivationProperties.PositivelyHomogeneous), n);
        foreach (var n in new[] { "relu6", "gelu", "elu", "hard_tanh" })
            Assert.False(ActivationCatalog.Get(n).Info.Properties.HasFlag(ActivationProperties.PositivelyHomogeneous), n);
    }
}
