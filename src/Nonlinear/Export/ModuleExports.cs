using Nonlinear.Export.Proto;
using Nonlinear.Kan;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Models;
using static Nonlinear.Export.OnnxGraphBuilder;

namespace Nonlinear.Export;

/// <summary>A tensor in the graph with its shape without the batch dimension.</summary>
internal readonly record struct OnnxTensor(OnnxValue Value, int[] Dims)
{
    /// <summary>Rank including the batch dimension.</summary>
    public int Rank => Dims.Length + 1;
}

/// <summary>Appends module <c>m</c> applied to <c>x</c> (inference semantics) and returns its output.</summary>
internal delegate OnnxTensor ModuleExport(Module m, OnnxTensor x);

/// <summary>
/// Module type → its ONNX form, one registration line each (an int8 Linear adds its QDQ form here). Containers recurse
/// through <see cref="Apply"/>; a module type without a row is refused by name rather than skipped.
/// </summary>
internal static partial class ModuleExports
{
    private static readonly Dictionary<Type, ModuleExport> Map = new()
    {
        [typeof(Sequential)] = (m, x) => Enumerable.Range(0, ((Sequential)m).Count).Aggregate(x, (t, i) => Scoped(((Sequential)m)[i], i.ToString(System.Globalization.CultureInfo.InvariantCulture), t)),
        [typeof(Linear)] = (m, x) => Linear((Linear)m, x),
        [typeof(Conv2d)] = (m, x) => Conv((Conv2d)m, x),
        [typeof(MaxPool2d)] = (m, x) => Pool("MaxPool", ((MaxPool2d)m).Window, x),
        [typeof(AvgPool2d)] = (m, x) => Pool("AveragePool", ((AvgPool2d)m).Window, x),
        [typeof(Flatten)] = (m, x) => new(x.Value.Builder.Node("Flatten", [x.Value], [IntAttr("axis", 1)]), [x.Dims.Aggregate(1, (a, b) => a * b)]),
        [typeof(Dropout)] = (m, x) => x, // inference: identity
        [typeof(BatchNorm1d)] = (m, x) => BatchNorm((BatchNorm1d)m, x),
        [typeof(LayerNorm)] = (m, x) => LayerNorm((LayerNorm)m, x),
        [typeof(ActivationLayer)] = (m, x) => x with { Value = ActivationExports.Apply(((ActivationLayer)m).Activation, x.Value) },
        [typeof(CnnKind.ToImage)] = (m, x) => ToImage(((CnnKind.ToImage)m).Side, x),
        [typeof(KanNetwork)] = (m, x) => ((KanNetwork)m).Layers.Select((l, i) => (l, i)).Aggregate(x, (t, li) => Scoped(li.l, "layers." + li.i, t)),
        [typeof(KanLayer)] = (m, x) => KanExport.Layer((KanLayer)m, x),
        [typeof(PRelu)] = (m, x) => LearnableExports.PRelu((PRelu)m, x),
        [typeof(Apa)] = (m, x) => LearnableExports.Apa((Apa)m, x),
        [typeof(Sau)] = (m, x) => LearnableExports.Sau((Sau)m, x),
        [typeof(Rational)] = (m, x) => LearnableExports.Rational((Rational)m, x),
        [typeof(Snake)] = (m, x) => LearnableExports.Snake((Snake)m, x),
        [typeof(SnakeBeta)] = (m, x) => LearnableExports.SnakeBeta((SnakeBeta)m, x),
    };

    /// <summary>Registers (or replaces) the export of module type <typeparamref name="T"/>.</summary>
    internal static void Register<T>(ModuleExport export) where T : Module => Map[typeof(T)] = export;

    /// <summary>Whether <paramref name="type"/> has an export.</summary>
    internal static bool Has(Type type) => Map.ContainsKey(type);

    /// <summary>Appends <paramref name="m"/>; refuses a module type without an export.</summary>
    /// <exception cref="NotSupportedException">No export for the module's type.</exception>
    public static OnnxTensor Apply(Module m, OnnxTensor x)
    {
        if (!Map.TryGetValue(m.GetType(), out var export))
            throw new NotSupportedException($"ONNX export: no exporter for module type {m.GetType().Name} ({m}).");
        return export(m, x);
    }

    private static OnnxTensor Scoped(Module m, string name, OnnxTensor x)
    {
        using var _ = x.Value.Builder.Scope(name);
        return Apply(m, x);
    }

    internal static OnnxValue Weight(OnnxGraphBuilder g, string name, Nonlinear.Tensors.Tensor t) =>
        g.Initializer(name, t.AsReadOnlySpan(), t.Shape.ToArray().Select(d => (long)d).ToArray());

    private static OnnxTensor Linear(Linear l, OnnxTensor x)
    {
        var g = x.Value.Builder;
        var w = Weight(g, "weight", l.Weight);
        // Gemm computes x·Wᵀ + b for the [N, in] rows our Linear sees; other ranks go through MatMul with Wᵀ.
        if (x.Rank == 2)
        {
            OnnxValue[] ins = l.Bias is null ? [x.Value, w] : [x.Value, w, Weight(g, "bias", l.Bias)];
            return new(g.Node("Gemm", ins, [IntAttr("transB", 1)]), [l.OutFeatures]);
        }
        var wt = g.Node("Transpose", [w], [IntsAttr("perm", 1, 0)]);
        var y = g.Node("MatMul", [x.Value, wt]);
        if (l.Bias is not null) y = y + Weight(g, "bias", l.Bias);
        return new(y, [.. x.Dims[..^1], l.OutFeatures]);
    }

    private static OnnxTensor Conv(Conv2d c, OnnxTensor x)
    {
        var g = x.Value.Builder;
        var win = c.Window;
        var w = Weight(g, "weight", c.Weight);
        OnnxValue[] ins = c.Bias is null ? [x.Value, w] : [x.Value, w, Weight(g, "bias", c.Bias)];
        var y = g.Node("Conv", ins, [IntsAttr("kernel_shape", win.KernelH, win.KernelW), IntsAttr("strides", win.StrideH, win.StrideW),
            IntsAttr("pads", win.PadH, win.PadW, win.PadH, win.PadW), IntsAttr("dilations", win.DilationH, win.DilationW)]);
        var (h, wd) = win.OutputSize(x.Dims[1], x.Dims[2]);
        return new(y, [c.Weight.Size(0), h, wd]);
    }

    private static OnnxTensor Pool(string op, Nonlinear.Kernels.Window2d win, OnnxTensor x)
    {
        var g = x.Value.Builder;
        var attrs = new List<AttributeProto> { IntsAttr("kernel_shape", win.KernelH, win.KernelW), IntsAttr("strides", win.StrideH, win.StrideW),
            IntsAttr("pads", win.PadH, win.PadW, win.PadH, win.PadW) };
        if (op == "AveragePool")
        {
            attrs.Add(IntAttr("count_include_pad", 1)); // torch's default, and ours: padding counts in the divisor
            if (win.DilationH != 1 || win.DilationW != 1)
            {
                if (g.Opset < 19) throw new NotSupportedException($"ONNX export: AveragePool with dilation needs opset ≥ 19; got {g.Opset}.");
                attrs.Add(IntsAttr("dilations", win.DilationH, win.DilationW));
            }
        }
        else attrs.Add(IntsAttr("dilations", win.DilationH, win.DilationW));
        var (h, wd) = win.OutputSize(x.Dims[1], x.Dims[2]);
        return new(g.Node(op, [x.Value], attrs), [x.Dims[0], h, wd]);
    }

    private static OnnxTensor BatchNorm(BatchNorm1d bn, OnnxTensor x)
    {
        var g = x.Value.Builder;
        var y = g.Node("BatchNormalization", [x.Value, Weight(g, "weight", bn.Weight), Weight(g, "bias", bn.Bias),
            Weight(g, "running_mean", bn.RunningMean), Weight(g, "running_var", bn.RunningVar)], [FloatAttr("epsilon", bn.Eps)]);
        return x with { Value = y };
    }

    internal static OnnxTensor LayerNorm(LayerNorm ln, OnnxTensor x)
    {
        var g = x.Value.Builder;
        var scale = ln.Weight is null ? g.Initializer("ones", Enumerable.Repeat(1f, ln.Features).ToArray(), ln.Features) : Weight(g, "weight", ln.Weight);
        OnnxValue[] ins = ln.Bias is null ? [x.Value, scale] : [x.Value, scale, Weight(g, "bias", ln.Bias)];
        return x with { Value = g.Node("LayerNormalization", ins, [IntAttr("axis", -1), FloatAttr("epsilon", ln.Eps)]) };
    }

    private static OnnxTensor ToImage(int side, OnnxTensor x)
    {
        var g = x.Value.Builder;
        return new(g.Node("Reshape", [x.Value, g.Int64s("shape", -1, 1, side, side)]), [1, side, side]);
    }
}
