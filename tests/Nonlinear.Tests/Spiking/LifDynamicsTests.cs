using Nonlinear.Spiking;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Spiking;

/// <summary>The LIF layer's forward against values worked out by hand (β = 0.9, θ = 1, a constant current of 0.6).</summary>
public sealed class LifDynamicsTests
{
    private static (float[] S, float[] U) Run(LifOptions o, float current, int steps)
    {
        var spikes = new LifLayer(1, steps, o).Call(Tensor.FromArray([current], 1, 1));
        var mem = new LifLayer(1, steps, o, LifOutput.Membrane).Call(Tensor.FromArray([current], 1, 1));
        return (spikes.ToArray(), mem.ToArray());
    }

    [Fact]
    public void LeakyResetBySubtraction()
    {
        // U = 0.6; 0.54+0.6 = 1.14 (spike); 1.026+0.6−1 = 0.626; 0.5634+0.6 = 1.1634 (spike); 1.04706+0.6−1 = 0.64706.
        var (s, u) = Run(new LifOptions { Beta = 0.9 }, 0.6f, 5);
        Assert.Equal([0f, 1f, 0f, 1f, 0f], s);
        Assert.Equal([0.6, 1.14, 0.626, 1.1634, 0.64706], u.Select(v => (double)v), new Tol(1e-6));
    }

    [Fact]
    public void LeakyResetToZero()
    {
        // After the spike at step 1 the previous membrane is zeroed: U = 0·1.14 + 0.6.
        var (s, u) = Run(new LifOptions { Beta = 0.9, Reset = ResetMechanism.Zero }, 0.6f, 5);
        Assert.Equal([0f, 1f, 0f, 1f, 0f], s);
        Assert.Equal([0.6, 1.14, 0.6, 1.14, 0.6], u.Select(v => (double)v), new Tol(1e-6));
    }

    [Fact]
    public void NoResetIntegratesFreely()
    {
        var (s, u) = Run(new LifOptions { Beta = 0.5, Reset = ResetMechanism.None }, 1f, 3);
        Assert.Equal([0f, 1f, 1f], s);
        Assert.Equal([1.0, 1.5, 1.75], u.Select(v => (double)v), new Tol(1e-7));
    }

    [Fact]
    public void SynapticCurrentIsSecondOrder()
    {
        // syn = 0.6, 0.9, 1.05; U = 0.6; 0.54+0.9 = 1.44 (spike); 1.296+1.05−1 = 1.346 (spike); 1.2114+1.125−1 = 1.3364.
        var (s, u) = Run(new LifOptions { Beta = 0.9, Neuron = NeuronModel.Synaptic, Alpha = 0.5 }, 0.6f, 4);
        Assert.Equal([0f, 1f, 1f, 1f], s);
        Assert.Equal([0.6, 1.44, 1.346, 1.3364], u.Select(v => (double)v), new Tol(1e-6));
    }

    [Fact]
    public void AdaptiveThresholdRisesAfterSpikes()
    {
        // Same membrane as LeakyResetBySubtraction; a = 0, 0, 1, 0.5, 1.25 → θ_eff = 1, 1, 1.2, 1.1, 1.25.
        // Step 3 (U = 1.1634 > 1.1) still spikes; with b = 0.4 its threshold is 1.2 and it does not.
        var (s, _) = Run(new LifOptions { Beta = 0.9, Neuron = NeuronModel.Adaptive, AdaptationDecay = 0.5, AdaptationStrength = 0.2 }, 0.6f, 5);
        Assert.Equal([0f, 1f, 0f, 1f, 0f], s);
        var (s2, _) = Run(new LifOptions { Beta = 0.9, Neuron = NeuronModel.Adaptive, AdaptationDecay = 0.5, AdaptationStrength = 0.4 }, 0.6f, 5);
        Assert.Equal([0f, 1f, 0f, 0f, 1f], s2);
    }

    [Fact]
    public void SequenceInputEqualsConstantInput()
    {
        var rng = new Rng(3);
        var x = Tensor.Randn(rng, [4, 7]);
        var o = new LifOptions { Beta = 0.8, Threshold = 0.5 };
        var constant = new LifLayer(7, 6, o).Call(x).ToArray();
        var repeated = Tensor.FromArray(Enumerable.Repeat(x.ToArray(), 6).SelectMany(v => v).ToArray(), 6, 4, 7);
        Assert.Equal(constant, new LifLayer(7, 6, o).Call(repeated).ToArray());
        Assert.Contains(1f, constant);
        Assert.Contains(0f, constant);
    }

    [Fact]
    public void EncodersAreSeededAndShaped()
    {
        var x = Tensor.FromArray([0f, 0.25f, 1f, -3f, 0.5f, 2f], 2, 3);
        var a = SpikeEncoder.Rate(x, 400, new Rng(9)).ToArray();
        Assert.Equal(a, SpikeEncoder.Rate(x, 400, new Rng(9)).ToArray());
        double Rate(int f) => Enumerable.Range(0, 400).Average(t => a[t * 6 + f]);
        Assert.Equal(0, Rate(0));
        Assert.InRange(Rate(1), 0.25 - 3 * Math.Sqrt(0.25 * 0.75 / 400), 0.25 + 3 * Math.Sqrt(0.25 * 0.75 / 400));
        Assert.Equal(1, Rate(2));
        Assert.Equal(0, Rate(3));
        Assert.Equal(1, Rate(5));
        // Latency over T = 5: x = 1 → step 0, 0.5 → step 2, 0.25 → step 3 (round(0.75·4)), x ≤ 0 never.
        var l = SpikeEncoder.Latency(x, 5).ToArray();
        int[] FirstSpike() => Enumerable.Range(0, 6).Select(f => Enumerable.Range(0, 5).FirstOrDefault(t => l[t * 6 + f] == 1f, -1)).ToArray();
        Assert.Equal([-1, 3, 0, -1, 2, 0], FirstSpike());
        Assert.Equal(4, l.Sum());
    }

    private sealed class Tol(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(double v) => 0;
    }
}
