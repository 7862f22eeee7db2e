using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// y = x·Wᵀ + b with W [out, in] and b [out] (torch.nn.Linear). Inputs of rank &gt; 2 are treated as a batch of
/// rows [..., in]. Default initialisation is PyTorch's: W ~ U(±1/√in) (kaiming_uniform with a = √5) and b ~ U(±1/√in).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Weight [out, in].</summary>
    public Tensor Weight { get; }
    /// <summary>Bias [out], or null when constructed with bias = false.</summary>
    public Tensor? Bias { get; }
    /// <summary>Number of input features.</summary>
    public int InFeatures { get; }
    /// <summary>Number of output features.</summary>
    public int OutFeatures { get; }

    /// <summary>Creates the layer and initialises its parameters from <paramref name="rng"/> (weight first, then bias).</summary>
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (inFeatures <= 0) throw new ArgumentException($"inFeatures must be > 0; got {inFeatures}.", nameof(inFeatures));
        if (outFeatures <= 0) throw new ArgumentException($"outFeatures must be > 0; got {outFeatures}.", nameof(outFeatures));
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Init.KaimingUniform(Tensor.Zeros(outFeatures, inFeatures), rng, a: Math.Sqrt(5)));
        if (bias)
        {
            double bound = 1 / Math.Sqrt(inFeatures);
            Bias = RegisterParameter("bias", Init.Uniform(Tensor.Zeros(outFeatures), rng, -bound, bound));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0 || x.Size(-1) != InFeatures)
            throw new ArgumentException($"Linear expects input [..., {InFeatures}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        if (x.Rank == 2) return Ops.Linear(x, Weight, Bias);
        var outShape = x.Shape.ToArray();
        outShape[^1] = OutFeatures;
        var y = Ops.Linear(Ops.Reshape(x, -1, InFeatures), Weight, Bias);
        return Ops.Reshape(y, outShape);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={PyBool(Bias is not null)}";
}
