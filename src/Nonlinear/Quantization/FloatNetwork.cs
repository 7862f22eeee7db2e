using Nonlinear.Activations;
using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Tensors;

namespace Nonlinear.Quantization;

/// <summary>A float Linear layer taken out of a model for quantization (weights copied; the model is not modified).</summary>
internal sealed class FloatLinear(float[] weight, float[] bias, int outFeatures, int inFeatures)
{
    public float[] Weight { get; } = weight;
    public float[] Bias { get; } = bias;
    public int Out { get; } = outFeatures;
    public int In { get; } = inFeatures;

    public Tensor Forward(Tensor x) => Ops.Linear(x, Tensor.FromArray(Weight, Out, In), Tensor.FromArray(Bias, Out));
}

/// <summary>
/// An elementwise activation: a catalog entry, or a (frozen) learnable unit module. After a convolution
/// <paramref name="image"/> is the sample's shape, so a learnable unit sees NCHW (its channels on axis 1) as in the model.
/// </summary>
internal sealed class FloatActivation(Activation? fixedActivation, Module? unit, int features, ImageShape? image = null)
{
    public Activation? Fixed { get; } = fixedActivation;
    public Module? Unit { get; } = unit;
    public int Features { get; } = features;
    public ImageShape? Image { get; } = image;
    public string Name => Fixed?.ToString() ?? Unit!.GetType().Name.ToLowerInvariant();

    /// <summary>
    /// f(a·x) = a·f(x) for a &gt; 0: of the learnable units only PReLU has it; a catalog entry must declare it (a property
    /// at default parameters) and its bound parameters must keep it (tlu's threshold τ ≠ 0 does not), checked on a grid.
    /// </summary>
    public bool PositivelyHomogeneous =>
        Fixed is not null ? Fixed.Info.Properties.HasFlag(ActivationProperties.PositivelyHomogeneous) && HoldsNumerically(Fixed) : Unit is PRelu;

    private static bool HoldsNumerically(Activation f)
    {
        foreach (double a in (double[])[0.5, 3, 1e-2, 1e2])
            for (int i = -400; i <= 400; i++)
            {
                double x = i * 0.05, lhs = f.Reference(a * x), rhs = a * f.Reference(x);
                if (!(Math.Abs(lhs - rhs) <= 1e-9 * Math.Max(1, Math.Abs(rhs)))) return false;
            }
        return true;
    }

    public Tensor Forward(Tensor x)
    {
        if (Fixed is not null) return Fixed.Apply(x);
        if (Image is not { } c) return Unit!.Call(x);
        return Ops.Reshape(Unit!.Call(Ops.Reshape(x, x.Size(0), c.Channels, c.Height, c.Width)), x.Size(0), c.Features);
    }
}

/// <summary>
/// A feed-forward model as a list of <see cref="FloatLinear"/>, <see cref="FloatActivation"/>, <see cref="FloatConv"/>
/// and <see cref="FloatMaxPool"/> stages on flat rows, with BatchNorm1d folded into the Linear before it, and Dropout,
/// Flatten and the CNN kind's image reshape (identities on flat C-order rows) dropped. Every stage maps [B, F] to
/// [B, F′]; a convolution's rows are its samples' NCHW values in C-order.
/// </summary>
internal sealed class FloatNetwork
{
    public List<object> Stages { get; } = [];

    /// <summary>Reads <paramref name="model"/> (a Sequential, possibly nested, or a single layer).</summary>
    /// <exception cref="InvalidInputException">A layer that int8 inference does not cover (average pooling, grouped convolution, normalisation other than a BatchNorm1d after a Linear, …).</exception>
    public static FloatNetwork From(Module model, int inFeatures)
    {
        ArgumentNullException.ThrowIfNull(model);
        var net = new FloatNetwork();
        int width = inFeatures;
        ImageShape? image = null;   // the sample's shape while rows are images (between the reshape and Flatten)
        ImageShape Image(string name, Module m) => image ?? throw new InvalidInputException(
            $"layer '{name}' ({m.GetType().Name}) needs image rows [C, H, W]; the model gives it flat rows of {width} features.", nameof(model));
        void Walk(Module m, string name)
        {
            switch (m)
            {
                case Sequential s:
                    for (int i = 0; i < s.Count; i++) Walk(s[i], name.Length == 0 ? $"{i}" : $"{name}.{i}");
                    break;
                case Nonlinear.Models.CnnKind.ToImage t:
                    if (t.Side * t.Side != width)
                        throw new InvalidInputException($"layer '{name}' reads {t.Side}×{t.Side} images from rows of {width} features.", nameof(model));
                    image = new ImageShape(1, t.Side, t.Side);
                    break;
                case Conv2d conv:
                    var inShape = Image(name, conv);
                    if (conv.Weight.Size(1) != inShape.Channels)
                        throw new InvalidInputException($"layer '{name}' takes {conv.Weight.Size(1)} channels; its input has {inShape.Channels}.", nameof(model));
                    var fc = new FloatConv(conv.Weight.ToArray(), conv.Bias?.ToArray() ?? new float[conv.Weight.Size(0)], inShape, conv.Weight.Size(0), conv.Window);
                    net.Stages.Add(fc);
                    (image, width) = (fc.OutputShape, fc.OutputShape.Features);
                    break;
                case MaxPool2d pool:
                    var fp = new FloatMaxPool(Image(name, pool), pool.Window);
                    net.Stages.Add(fp);
                    (image, width) = (fp.OutputShape, fp.OutputShape.Features);
                    break;
                case Flatten:
                    image = null;
                    break;
                case Linear l:
                    if (image is not null)
                        throw new InvalidInputException($"layer '{name}' is a Linear on image rows (it would act on the width axis); int8 quantization needs a Flatten before it.", nameof(model));
                    if (l.InFeatures != width)
                        throw new InvalidInputException($"layer '{name}' takes {l.InFeatures} features; the model gives it {width}.", nameof(model));
                    net.Stages.Add(new FloatLinear(l.Weight.ToArray(), l.Bias?.ToArray() ?? new float[l.OutFeatures], l.OutFeatures, l.InFeatures));
                    width = l.OutFeatures;
                    break;
                case BatchNorm1d bn when net.Stages.Count > 0 && net.Stages[^1] is FloatLinear prev:
                    FoldBatchNorm(prev, bn);
                    break;
                case ActivationLayer a:
                    net.Stages.Add(new FloatActivation(a.Activation, null, width, image));
                    break;
                case LearnableActivation u:
                    net.Stages.Add(new FloatActivation(null, u, width, image));
                    break;
                case Dropout:
                    break;
                default:
                    throw new InvalidInputException($"int8 quantization covers Linear, Conv2d, MaxPool2d, activations, learnable units, BatchNorm1d after a Linear, Dropout and Flatten; layer '{name}' is a {m.GetType().Name}.", nameof(model));
            }
        }
        Walk(model, "");
        if (!net.Stages.Any(st => st is FloatLinear or FloatConv)) throw new InvalidInputException("the model has no Linear layer to quantize.", nameof(model));
        if (net.Stages[^1] is not FloatLinear)
            throw new InvalidInputException("int8 quantization needs a model that ends with a Linear layer (its float logits).", nameof(model));
        return net;
    }

    /// <summary>
    /// y = γ·(Wx + b − μ)/√(σ² + ε) + β = W′x + b′ with W′[j, :] = W[j, :]·γ_j/√(σ²_j + ε) and
    /// b′_j = (b_j − μ_j)·γ_j/√(σ²_j + ε) + β_j, computed in double (the running statistics, as in eval mode).
    /// </summary>
    internal static void FoldBatchNorm(FloatLinear linear, BatchNorm1d bn)
    {
        if (bn.Features != linear.Out)
            throw new InvalidInputException($"BatchNorm1d over {bn.Features} features follows a Linear with {linear.Out} outputs.", nameof(bn));
        var (g, b, mu, v) = (bn.Weight.ToArray(), bn.Bias.ToArray(), bn.RunningMean.ToArray(), bn.RunningVar.ToArray());
        for (int j = 0; j < linear.Out; j++)
        {
            double k = g[j] / Math.Sqrt((double)v[j] + bn.Eps);
            for (int i = 0; i < linear.In; i++) linear.Weight[j * linear.In + i] = (float)(linear.Weight[j * linear.In + i] * k);
            linear.Bias[j] = (float)((linear.Bias[j] - (double)mu[j]) * k + b[j]);
        }
    }

    /// <summary>Runs the float stages on <paramref name="x"/>, calling <paramref name="observe"/>(point, tensor) for the input (point 0) and after every stage.</summary>
    public Tensor Forward(Tensor x, Action<int, Tensor>? observe = null)
    {
        using var _ = Autograd.NoGrad();
        observe?.Invoke(0, x);
        for (int i = 0; i < Stages.Count; i++)
        {
            x = Stages[i] switch
            {
                FloatLinear l => l.Forward(x),
                FloatActivation a => a.Forward(x),
                FloatConv c => c.Forward(x),
                FloatMaxPool p => p.Forward(x),
                _ => throw new InvalidOperationException($"unknown stage {Stages[i]}"),
            };
            observe?.Invoke(i + 1, x);
        }
        return x;
    }
}
