using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Kernels.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Learnable;

/// <summary>
/// Base of the activations with learnable parameters (PReLU, APA, rational, Snake, SAU): per-layer (one set) or
/// per-channel (one set per channel of dimension 1, PyTorch's convention: input [N, C, *]; rank-1 inputs have no
/// channel dimension). Parameters are registered under their names like any weight, so optimisers, state dicts and
/// checkpoints see them. Forward is one fused kernel pass; backward one pass producing dx and every parameter gradient.
/// </summary>
public abstract class LearnableActivation : Module
{
    private readonly List<(Tensor Tensor, int First, int Count)> _slots = [];

    /// <summary>Creates the module for <paramref name="channels"/> parameter sets (1 = shared by every element).</summary>
    protected LearnableActivation(int channels)
    {
        if (channels < 1) throw new ArgumentException($"number of parameter sets (channels) must be ≥ 1; got {channels}.", nameof(channels));
        Channels = channels;
    }

    /// <summary>Number of parameter sets: 1 (per layer) or the size of the channel dimension.</summary>
    public int Channels { get; }

    /// <summary>The fused kernel with its structural settings (degrees, forms), bound to the driver.</summary>
    private protected abstract ILearnableOp Op { get; }

    /// <summary>Operation name recorded on the tape.</summary>
    protected abstract string OpName { get; }

    /// <summary>
    /// Registers parameters θ_first..θ_(first+count−1) as one tensor: [channels] when count is 1, else [channels, count]
    /// ([count] for a single set). Every element starts at its value in <paramref name="init"/>.
    /// </summary>
    protected Tensor RegisterSlot(string name, int first, ReadOnlySpan<float> init)
    {
        int count = init.Length;
        var t = count == 1 ? Tensor.Zeros(Channels) : Channels == 1 ? Tensor.Zeros(count) : Tensor.Zeros(Channels, count);
        var s = t.AsSpanUntracked();
        for (int c = 0; c < Channels; c++) init.CopyTo(s.Slice(c * count, count));
        RegisterParameter(name, t);
        _slots.Add((t, first, count));
        return t;
    }

    /// <summary>θ packed [P, channels] as the driver reads it.</summary>
    internal float[] PackedParameters()
    {
        int P = Op.ParameterCount, C = Channels;
        var theta = new float[P * C];
        foreach (var (t, first, count) in _slots)
        {
            var s = t.AsSpanUntracked();
            for (int c = 0; c < C; c++)
                for (int j = 0; j < count; j++) theta[(first + j) * C + c] = s[c * count + j];
        }
        return theta;
    }

    private (int Channels, int Inner) Layout(Tensor x)
    {
        if (Channels == 1) return (1, 1);
        if (x.Rank < 2 || x.Size(1) != Channels)
            throw new ArgumentException($"{GetType().Name} has {Channels} parameter sets, so it expects input [N, {Channels}, *]; got {Shapes.Format(x.Shape)}.", nameof(x));
        int inner = 1;
        for (int d = 2; d < x.Rank; d++) inner *= x.Size(d);
        return (Channels, inner);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var (channels, inner) = Layout(x);
        var xc = x.Contiguous();
        var op = Op;
        float[] theta = PackedParameters();
        var y = Tensor.FromArray(GC.AllocateUninitializedArray<float>(xc.Length), xc.Shape.ToArray());
        op.Forward(xc.AsSpanUntracked(), y.AsSpanUntracked(), theta, channels, inner);
        var inputs = new Tensor[1 + _slots.Count];
        inputs[0] = xc;
        for (int i = 0; i < _slots.Count; i++) inputs[i + 1] = _slots[i].Tensor;
        return Autograd.Record(y, OpName, inputs, differentiable: g => DifferentiableBackward(g, inputs), rule: g =>
        {
            var gc = g.Contiguous();
            var dx = Tensor.FromArray(GC.AllocateUninitializedArray<float>(gc.Length), gc.Shape.ToArray());
            var dTheta = new float[theta.Length];
            op.Backward(xc.AsSpanUntracked(), gc.AsSpanUntracked(), dx.AsSpanUntracked(), theta, channels, inner, dTheta);
            var grads = new Tensor?[inputs.Length];
            grads[0] = dx;
            for (int i = 0; i < _slots.Count; i++)
            {
                var (t, first, count) = _slots[i];
                var gt = Tensor.Zeros(t.Shape.ToArray());
                var s = gt.AsSpanUntracked();
                for (int c = 0; c < Channels; c++)
                    for (int j = 0; j < count; j++) s[c * count + j] = dTheta[(first + j) * Channels + c];
                grads[i + 1] = gt;
            }
            return grads;
        });
    }

    /// <summary>
    /// f(x; θ) rebuilt from recorded ops whose derivatives of every order exist; <paramref name="parameter"/>(slot, j)
    /// is θ_j of a registered slot, broadcast against x. The createGraph rule differentiates it, so higher-order
    /// gradients in x and θ follow (a physics-informed loss needs ∂/∂θ of ∂²f/∂x²); the fused kernel stays the
    /// first-order path, and the composition must equal it (tests compare them).
    /// </summary>
    private protected abstract Tensor Composed(Tensor x, Func<Tensor, int, Tensor> parameter);

    // The createGraph rule: differentiate the composition at the same inputs, with the gradient itself recorded.
    private Tensor?[] DifferentiableBackward(Tensor g, Tensor[] inputs)
    {
        var x = inputs[0];
        var y = Composed(x, (slot, j) => Broadcast(slot, j, x.Rank));
        var wanted = inputs.Where(t => t.RequiresGrad).ToArray();
        var grads = Autograd.Grad([y], wanted, [g], createGraph: true, allowUnused: true);
        var result = new Tensor?[inputs.Length];
        for (int i = 0, w = 0; i < inputs.Length; i++) if (inputs[i].RequiresGrad) result[i] = grads[w++] ?? Tensor.Zeros(inputs[i].Shape.ToArray());
        return result;
    }

    // θ_j of a slot as [1] (one set) or [1, C, 1, …] (per channel) so it broadcasts against an input of the given rank.
    private Tensor Broadcast(Tensor slot, int j, int rank)
    {
        int count = _slots.First(s => ReferenceEquals(s.Tensor, slot)).Count;
        var t = count == 1 ? slot : Channels == 1 ? Ops.Slice(slot, 0, j, 1) : Ops.Select(slot, 1, j);
        if (Channels == 1) return t;
        var shape = new int[Math.Max(rank, 2)];
        Array.Fill(shape, 1);
        shape[1] = Channels;
        return Ops.Reshape(t, shape);
    }
}

/// <summary>
/// One fused learnable kernel bound to <see cref="LearnableDriver"/>: the public modules hold it through this
/// interface, so the kernel structs and the SIMD types they are written in stay internal. One virtual call per
/// forward or backward, not per element.
/// </summary>
internal interface ILearnableOp
{
    int ParameterCount { get; }
    void Forward(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> theta, int channels, int inner);
    void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<float> theta, int channels, int inner, Span<float> dTheta);
}

/// <summary>The <see cref="ILearnableOp"/> of kernel <typeparamref name="K"/>; the driver stays specialised per kernel.</summary>
internal sealed class LearnableOp<K>(K kernel) : ILearnableOp where K : struct, ILearnableKernel
{
    public int ParameterCount => kernel.ParameterCount;
    public void Forward(ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> theta, int channels, int inner) =>
        LearnableDriver.Forward(kernel, x, y, theta, channels, inner);
    public void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, ReadOnlySpan<float> theta, int channels, int inner, Span<float> dTheta) =>
        LearnableDriver.Backward(kernel, x, dy, dx, theta, channels, inner, dTheta);
}
