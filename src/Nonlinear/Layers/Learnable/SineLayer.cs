using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// SIREN layer y = sin(ω₀·(x·Wᵀ + b)), ω₀ = 30 by default. Initialisation from the paper: the first layer
/// W ~ U(−1/n, 1/n), later layers W ~ U(−√(6/n)/ω₀, √(6/n)/ω₀) with n the input width, so that pre-activations stay
/// standard-normal-like and every layer's output is arcsine-distributed (variance 1/2); b keeps PyTorch's Linear
/// default U(±1/√n) as the authors' code does. Parameters "linear.weight", "linear.bias". The sine is one fused pass
/// forward and one backward (<see cref="SineKernel"/>). Sitzmann, Martel, Bergman, Lindell and Wetzstein,
/// "Implicit Neural Representations with Periodic Activation Functions", NeurIPS 2020.
/// </summary>
public sealed class SineLayer : Module
{
    /// <summary>The affine part.</summary>
    public Linear Linear { get; }
    /// <summary>The frequency factor ω₀.</summary>
    public float Omega0 { get; }
    /// <summary>Whether this is the network's first layer (the U(−1/n, 1/n) initialisation).</summary>
    public bool IsFirst { get; }

    /// <summary>Creates the layer and initialises it as SIREN prescribes.</summary>
    public SineLayer(int inFeatures, int outFeatures, Rng rng, bool isFirst, float omega0 = 30f)
    {
        if (!(omega0 > 0) || !float.IsFinite(omega0)) throw new ArgumentException($"omega0 must be finite and > 0; got {omega0}.", nameof(omega0));
        Linear = RegisterModule("linear", new Linear(inFeatures, outFeatures, rng));
        Omega0 = omega0;
        IsFirst = isFirst;
        double bound = isFirst ? 1.0 / inFeatures : Math.Sqrt(6.0 / inFeatures) / omega0;
        Init.Uniform(Linear.Weight, rng, -bound, bound);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Sine(Linear.Call(x), Omega0);

    /// <summary>sin(ω₀·z) elementwise with its backward rule (fused: one pass each way).</summary>
    public static Tensor Sine(Tensor z, float omega0)
    {
        ArgumentNullException.ThrowIfNull(z);
        var zc = z.Contiguous();
        var k = new SineKernel(omega0);
        var y = Tensor.FromArray(GC.AllocateUninitializedArray<float>(zc.Length), zc.Shape.ToArray());
        UnaryDriver.Forward(k, zc.AsSpanUntracked(), y.AsSpanUntracked());
        return Autograd.Record(y, "sine", [zc], g =>
        {
            var gc = g.Contiguous();
            var dz = Tensor.FromArray(GC.AllocateUninitializedArray<float>(gc.Length), gc.Shape.ToArray());
            UnaryDriver.Backward(k, zc.AsSpanUntracked(), default, gc.AsSpanUntracked(), dz.AsSpanUntracked());
            return [dz];
        }, saved: null, differentiable: g => [Ops.Mul(g, Ops.MulScalar(Ops.Cos(Ops.MulScalar(zc, omega0)), omega0))]);
    }

    /// <summary>"SineLayer(in=…, out=…, omega0=…, first=…)".</summary>
    public override string ToString() => $"SineLayer(in={Linear.InFeatures}, out={Linear.OutFeatures}, omega0={Omega0}, first={IsFirst})";
}

/// <summary>Builds SIREN networks: sine layers, then a linear output layer initialised like a hidden sine layer.</summary>
public static class Siren
{
    /// <summary>
    /// inputs → hidden[0] → … → outputs: a first <see cref="SineLayer"/>, further sine layers, and a final Linear with
    /// W ~ U(±√(6/n)/ω₀) (the authors' outermost_linear = True); or a final sine layer when <paramref name="linearOutput"/> is false.
    /// </summary>
    public static Sequential Build(int inputs, IReadOnlyList<int> hidden, int outputs, Rng rng, float firstOmega0 = 30f, float hiddenOmega0 = 30f, bool linearOutput = true)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(rng);
        if (hidden.Count == 0) throw new ArgumentException("a SIREN needs at least one hidden layer; got none.", nameof(hidden));
        var layers = new List<Module>();
        int width = inputs;
        for (int i = 0; i < hidden.Count; i++)
        {
            layers.Add(new SineLayer(width, hidden[i], rng, isFirst: i == 0, i == 0 ? firstOmega0 : hiddenOmega0));
            width = hidden[i];
        }
        if (linearOutput)
        {
            var last = new Linear(width, outputs, rng);
            double bound = Math.Sqrt(6.0 / width) / hiddenOmega0;
            Init.Uniform(last.Weight, rng, -bound, bound);
            layers.Add(last);
        }
        else layers.Add(new SineLayer(width, outputs, rng, isFirst: false, hiddenOmega0));
        return new Sequential(layers.ToArray());
    }
}
