using Nonlinear.Activations;
using Nonlinear.Kernels;
using Xunit;
using Xunit.Abstractions;

namespace Nonlinear.Tests.Activations;

/// <summary>
/// ∂f/∂θ of every parametric catalog entry whose kernel implements <see cref="IParametricActivationKernel"/>: the double
/// reference against central differences of <see cref="Activation.Reference"/> in the parameter (re-created through the
/// catalog, so the kernel's float storage of θ is what is differenced), and the float vector form against the reference.
/// </summary>
public class SmoothParameterDerivativeTests(ITestOutputHelper output)
{
    public static TheoryData<string> ParametricNames()
    {
        var d = new TheoryData<string>();
        foreach (var e in ActivationCatalog.All)
            if (e.Info.Parameters.Count > 0 && Kernel(e.Create()) is not null) d.Add(e.Info.Name);
        return d;
    }

    private static IParametricActivationKernel? Kernel(Activation a) =>
        a.GetType().GetProperty("Kernel")?.GetValue(a) as IParametricActivationKernel;

    [Theory, MemberData(nameof(ParametricNames))]
    public void ParameterDerivativesMatchFiniteDifferences(string name)
    {
        var entry = ActivationCatalog.Get(name);
        var a = entry.Create();
        var k = Kernel(a)!;
        var theta = a.Parameters.ToArray();
        double worst = 0;
        for (int p = 0; p < theta.Length; p++)
        {
            if (!double.IsFinite(theta[p])) continue; // an infinite default (relu_keras max_value = ∞) has no neighbourhood
            // θ ± h rounded to float (what the kernel stores); the difference quotient uses the rounded values.
            float t0 = (float)theta[p], h = MathF.Max(1e-4f, MathF.Abs(t0) * 1e-4f);
            float tp = t0 + h, tm = t0 - h;
            var ps = (double[])theta.Clone();
            ps[p] = tp;
            var up = entry.Create(ps);
            ps[p] = tm;
            var down = entry.Create(ps);
            var kinks = a.Info.Kinks;
            for (double x = -8; x <= 8; x += 0.0917)
            {
                if (kinks.Any(kk => Math.Abs(x - kk) < 0.01)) continue;
                double fd = (up.Reference(x) - down.Reference(x)) / ((double)tp - tm);
                double d = k.ReferenceParameterDerivative(x, p);
                // Central differences with h ≈ 1e-4: truncation h²·∂³f/∂θ³/6 ≤ 1e-6 here, rounding ~1e-12.
                double tol = 2e-5 * (1 + Math.Abs(d));
                Assert.True(Math.Abs(fd - d) <= tol, $"{name} ∂f/∂{a.Info.Parameters[p].Name} at x = {x}: {d:R}, finite differences {fd:R}");

                float xf = (float)x;
                var yv = new float[1];
                a.Forward([xf], yv);
                float v = k.ParameterDerivative(new Scalar(xf), new Scalar(yv[0]), p).V;
                double r = k.ReferenceParameterDerivative(xf, p);
                Assert.True(Math.Abs(v - r) <= 1e-5 * (1 + Math.Abs(r)), $"{name} ∂f/∂{a.Info.Parameters[p].Name} float at x = {xf}: {v:R}, reference {r:R}");
                worst = Math.Max(worst, Math.Abs(fd - d) / tol);
            }
            // Every tier gives the same bits as the scalar lane.
            var xs = Enumerable.Range(0, 64).Select(i => -8f + i * 0.25f).ToArray();
            var ys = new float[xs.Length];
            a.Forward(xs, ys);
            var s = xs.Select((xv, i) => k.ParameterDerivative(new Scalar(xv), new Scalar(ys[i]), p).V).ToArray();
            var w = new float[xs.Length];
            int n = Vec256.Count;
            for (int i = 0; i < xs.Length; i += n)
                Vec256.Store(k.ParameterDerivative(Vec256.Load(ref xs[i]), Vec256.Load(ref ys[i]), p), ref w[i]);
            Assert.Equal(s, w);
        }
        output.WriteLine($"{name}: max |fd − ∂f/∂θ| / tolerance = {worst:F3}");
    }
}
