using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// Layer normalisation over the last dimension (torch.nn.LayerNorm(features)):
/// y = (x − μ)·r·γ + β with μ the row mean, σ² the biased row variance and r = 1/√(σ² + ε).
/// Backward with x̂ = (x − μ)·r and h = dy·γ: dx = r·(h − mean(h) − x̂·mean(h·x̂)), dγ = Σ dy·x̂, dβ = Σ dy.
/// One fused op with its own backward; statistics accumulate in double. Ba et al. 2016, https://arxiv.org/abs/1607.06450.
/// </summary>
public sealed class LayerNorm : Module
{
    /// <summary>Size of the normalised (last) dimension.</summary>
    public int Features { get; }
    /// <summary>ε added to the variance.</summary>
    public float Eps { get; }
    /// <summary>Scale γ [features] (ones at init), or null without elementwise affine.</summary>
    public Tensor? Weight { get; }
    /// <summary>Shift β [features] (zeros at init), or null without elementwise affine.</summary>
    public Tensor? Bias { get; }

    /// <summary>Normalises the last dimension of size <paramref name="features"/>.</summary>
    public LayerNorm(int features, float eps = 1e-5f, bool elementwiseAffine = true)
    {
        if (features <= 0) throw new ArgumentException($"features must be > 0; got {features}.", nameof(features));
        if (!(eps > 0f)) throw new ArgumentException($"eps must be > 0; got {eps}.", nameof(eps));
        Features = features;
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(features));
            Bias = RegisterParameter("bias", Tensor.Zeros(features));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0 || x.Size(-1) != Features)
            throw new ArgumentException($"LayerNorm expects input [..., {Features}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        var xc = x.Contiguous();
        int n = Features, rows = xc.Length / n;
        // Every element is written below: no need to zero the output first.
        var y = TensorArena.Empty(xc.Shape.ToArray());
        var mean = new float[rows];
        var rstd = new float[rows];
        LayerNormKernels.Forward(Mem(xc), n, Eps, Mem(Weight), Mem(Bias), Mem(y), mean, rstd);
        Tensor[] inputs = Weight is null ? [xc] : [xc, Weight, Bias!];
        return Autograd.Record(y, "layer_norm", inputs, g => Backward(g, xc, mean, rstd, n, inputs));
    }

    private Tensor?[] Backward(Tensor g, Tensor xc, float[] mean, float[] rstd, int n, Tensor[] inputs)
    {
        var dx = TensorArena.Empty(xc.Shape.ToArray());
        bool wantParams = inputs.Length > 1 && (inputs[1].RequiresGrad || inputs[2].RequiresGrad);
        var dw = wantParams ? new double[n] : [];
        var db = wantParams ? new double[n] : [];
        LayerNormKernels.Backward(Mem(xc), Mem(g.Contiguous()), n, Mem(Weight), mean, rstd, Mem(dx), dw, db);
        var gx = xc.RequiresGrad ? dx : null;
        if (inputs.Length == 1) return [gx];
        return [gx,
            inputs[1].RequiresGrad ? Tensor.FromArray(dw.Select(v => (float)v).ToArray(), n) : null,
            inputs[2].RequiresGrad ? Tensor.FromArray(db.Select(v => (float)v).ToArray(), n) : null];
    }

    // A contiguous tensor's elements as Memory (the kernels' closures may not capture spans); empty for null.
    private static Memory<float> Mem(Tensor? t) => t is null ? default : t.Storage.AsMemory(t.Offset, t.Length);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"({Features},), eps={PyFloat(Eps)}, elementwise_affine={PyBool(Weight is not null)}";
}
