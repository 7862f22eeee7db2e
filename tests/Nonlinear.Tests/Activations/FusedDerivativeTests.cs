using Nonlinear.Activations;
using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Tensors;
using Xunit;
using static Nonlinear.Tests.Activations.ActivationTestData;

namespace Nonlinear.Tests.Activations;

/// <summary>
/// The one-pass y-and-f′ path (<see cref="Activation.ForwardWithDerivative"/>) that <see cref="Activation.Apply"/> takes
/// for GELU and SiLU when it records gradients: on every tier and length it gives the bits of the separate Forward and
/// Backward kernels, and the gradient Apply returns is the one the span Backward gives, on one thread, split across the
/// worker pool, and with streaming stores.
/// </summary>
public class FusedDerivativeTests
{
    private static readonly SimdTier[] Tiers = [SimdTier.Vec512, SimdTier.Vec256, SimdTier.Vec128, SimdTier.Scalar];

    /// <summary>Names of the entries with a fused path; the registration is asserted by <see cref="FusedEntriesAreTheSharedWorkOnes"/>.</summary>
    private static readonly string[] FusedNames = ["gelu", "silu", "quick_gelu"];

    private static bool Same(float a, float b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b) || (float.IsNaN(a) && float.IsNaN(b));

    private static (float[] Y, float[] D) Separate(Activation a, float[] x, float[] dy, SimdTier tier)
    {
        var y = new float[x.Length];
        var dx = new float[x.Length];
        a.Forward(x, y, tier);
        var uses = a.Info.Uses;
        a.Backward(uses == BackwardUses.Output ? default : x, uses == BackwardUses.Input ? default : y, dy, dx, tier);
        return (y, dx);
    }

    [Fact]
    public void FusedEntriesAreTheSharedWorkOnes()
    {
        var fused = ActivationCatalog.All.Where(e => e.Create().FusesDerivative).Select(e => e.Info.Name).Order().ToArray();
        Assert.Equal(FusedNames.Order().ToArray(), fused);
        // A parametric entry keeps its fused path for any parameter value.
        Assert.True(ActivationCatalog.Parse("silu(beta=0.5)").FusesDerivative);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ActivationTestData))]
    public void EveryTierAndLengthGivesTheSeparateKernelsBits(string name)
    {
        var a = ActivationCatalog.Get(name).Create();
        var x = Mixed(256, 11);
        var ones = Enumerable.Repeat(1f, 256).ToArray();
        foreach (int n in new[] { 0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 63, 65, 255, 256 })
        {
            // The scalar tier of the separate kernels is the reference (the contract tests tie the other tiers to it).
            var (yRef, dRef) = Separate(a, x[..n], ones[..n], SimdTier.Scalar);
            foreach (var tier in Tiers)
            {
                var y = new float[n];
                var d = new float[n];
                a.ForwardWithDerivative(x[..n], y, d, tier);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(Same(yRef[i], y[i]), $"{name} y at x = {x[i]:R}, n = {n}, {tier}: {y[i]:R} vs {yRef[i]:R}");
                    Assert.True(Same(dRef[i], d[i]), $"{name} f′ at x = {x[i]:R}, n = {n}, {tier}: {d[i]:R} vs {dRef[i]:R}");
                }
            }
        }
    }

    [Theory]
    [InlineData("gelu", 1000)]
    [InlineData("silu", 1000)]
    [InlineData("gelu", (1 << 17) + 5)]      // split across the worker pool
    [InlineData("silu", (1 << 22) + 37)]     // streaming stores (and the pool)
    [InlineData("quick_gelu", 777)]
    public void ApplyGradientIsTheSpanBackwards(string name, int n)
    {
        var a = ActivationCatalog.Get(name).Create();
        var rng = new Rng(5);
        var xs = new float[n];
        var gs = new float[n];
        for (int i = 0; i < n; i++) { xs[i] = (float)(rng.NextGaussian() * 4); gs[i] = (float)rng.NextGaussian(); }
        var (yRef, dxRef) = Separate(a, xs, gs, SimdTier.Auto);

        var x = Tensor.FromArray((float[])xs.Clone(), n).RequireGrad();
        var y = a.Apply(x);
        y.Backward(Tensor.FromArray((float[])gs.Clone(), n));
        var yv = y.ToArray();
        var gx = x.Grad!.ToArray();
        int bad = Enumerable.Range(0, n).FirstOrDefault(i => !Same(yv[i], yRef[i]) || !Same(gx[i], dxRef[i]), -1);
        Assert.True(bad < 0, bad < 0 ? "" : $"{name} x = {xs[bad]:R}: y {yv[bad]:R} vs {yRef[bad]:R}, dx {gx[bad]:R} vs {dxRef[bad]:R}");
        // The gradient is not the upstream gradient passed through (a test that could not fail otherwise): f′ varies.
        Assert.Contains(Enumerable.Range(0, Math.Min(n, 100)), i => gx[i] != gs[i]);
    }

    [Fact]
    public void SavedDerivativeStillRaisesWhenTheInputIsModifiedBeforeBackward()
    {
        // The fused rule reads its own copy of f′, but x stays a saved tensor: the version check behaves as before.
        var a = ActivationCatalog.Get("gelu").Create();
        var x = Tensor.FromArray([0.5f, -1f, 2f], 3).RequireGrad();
        var h = Ops.MulScalar(x, 2f);
        var y = a.Apply(h);
        h.AsSpan()[0] = 7f;
        Assert.Throws<InvalidOperationException>(() => y.Backward(Tensor.FromArray([1f, 1f, 1f], 3)));
    }

    [Fact]
    public void NoGradForwardIsThePlainForward()
    {
        var a = ActivationCatalog.Get("gelu").Create();
        var xs = Mixed(300, 4);
        var yRef = new float[xs.Length];
        a.Forward(xs, yRef);
        Tensor y;
        using (Autograd.NoGrad()) y = a.Apply(Tensor.FromArray((float[])xs.Clone(), xs.Length).RequireGrad());
        Assert.False(y.RequiresGrad);
        Assert.True(y.ToArray().Zip(yRef).All(p => Same(p.First, p.Second)));
    }
}
