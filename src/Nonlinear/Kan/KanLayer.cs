using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Kan;

/// <summary>
/// Kolmogorov–Arnold layer: y_o = Σ_i m_{o,i}·φ_{o,i}(x_i) + Σ_{symbolic (o,i)} s_{o,i}(x_i) + b_o with learned edge functions
/// φ_{o,i}(x) = scale_base_{o,i}·silu(x) + scale_sp_{o,i}·Σ_s p_{o,s}·Σ_j coef^s_{o,i,j}·B^s_j(x),
/// where m is the edge mask (pruning), B^s the functions of activation space s, and p_{o,·} = softmax(α_{o,·}) the
/// S-KAN selection weights of output node o (p = 1 with a single space). Input [..., in] → output [..., out].
/// </summary>
/// <remarks>
/// <para>Computation: every input is expanded once into the features [silu(x) | B^1(x) | B^2(x) | …] (see
/// <see cref="IKanBasisKernel"/> for the layout), and the edge parameters are folded into one weight matrix
/// W [out, K] with K = in·(1 + Σ_s Count_s), so the forward is one GEMM y = F·Wᵀ and the backward two (gW = gᵀ·F,
/// gF = g·W) followed by fused basis-derivative kernels for dx and a fold of gW back onto the parameters.</para>
/// <para>Parameters (dotted names): scale_base [out, in] (with the base branch), scale_sp [out, in], coef [out, in, Count]
/// (one space) or coef_&lt;basis&gt; per space, mix_logits [out, spaces] (S-KAN, zero at init = uniform mixture), bias [out].
/// pykan stores its tensors as [in, out, …]; ours are [out, in, …] like torch.nn.Linear and efficient-kan.</para>
/// <para>Papers: Liu et al., "KAN: Kolmogorov-Arnold Networks", 2024; the S-KAN mixture is our reading of "Activation Space
/// Selectable Kolmogorov-Arnold Networks" (an adaptive choice of activation space per feed-forward node), implemented as
/// a softmax-weighted mixture per output node that training can sharpen towards one space.</para>
/// </remarks>
public sealed partial class KanLayer : Module
{
    private readonly int[] _offsets;       // column offset of each space's block in a feature row
    private readonly Dictionary<(int O, int I), SymbolicEdge> _symbolic = [];

    /// <summary>Number of inputs.</summary>
    public int InFeatures { get; }
    /// <summary>Number of outputs.</summary>
    public int OutFeatures { get; }
    /// <summary>The configuration the layer was built with.</summary>
    public KanOptions Options { get; }
    /// <summary>The activation spaces, in parameter order.</summary>
    public IReadOnlyList<KanBasis> Spaces { get; }
    /// <summary>Coefficients [out, in, Count] of each space.</summary>
    public IReadOnlyList<Tensor> Coefficients { get; }
    /// <summary>scale_base [out, in], or null without the base branch.</summary>
    public Tensor? ScaleBase { get; }
    /// <summary>scale_sp [out, in].</summary>
    public Tensor ScaleSp { get; }
    /// <summary>S-KAN selection logits α [out, spaces], or null with a single space.</summary>
    public Tensor? MixLogits { get; }
    /// <summary>Bias [out], or null.</summary>
    public Tensor? Bias { get; }
    /// <summary>Edge mask [out, in] (buffer "mask"): 1 = active, 0 = pruned (contributes nothing, receives no gradient).</summary>
    public Tensor Mask { get; }
    /// <summary>The input LayerNorm (FastKAN), or null.</summary>
    public LayerNorm? Norm { get; }
    /// <summary>Feature columns per sample, K = in·(base + Σ Count_s).</summary>
    public int FeatureCount { get; }

    /// <summary>Builds the layer and initialises it from <paramref name="rng"/> (scale_base, then each space's coefficients).</summary>
    public KanLayer(int inFeatures, int outFeatures, KanOptions? options, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        options ??= KanOptions.Pykan;
        if (inFeatures <= 0) throw new ArgumentException($"inFeatures must be > 0; got {inFeatures}.", nameof(inFeatures));
        if (outFeatures <= 0) throw new ArgumentException($"outFeatures must be > 0; got {outFeatures}.", nameof(outFeatures));
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Options = options;
        var spaces = options.Bases.Select(b => b.Create(inFeatures)).ToArray();
        Spaces = spaces;
        _offsets = new int[spaces.Length];
        int col = options.BaseBranch ? inFeatures : 0;
        for (int s = 0; s < spaces.Length; s++) { _offsets[s] = col; col += spaces[s].Count * inFeatures; }
        FeatureCount = col;

        if (options.LayerNorm) Norm = RegisterModule("norm", new LayerNorm(inFeatures));
        double rootIn = Math.Sqrt(inFeatures);
        if (options.BaseBranch)
        {
            var sb = Tensor.Zeros(outFeatures, inFeatures);
            var span = sb.AsSpanUntracked();
            for (int q = 0; q < span.Length; q++)
                span[q] = (float)(options.ScaleBaseMu / rootIn + options.ScaleBaseSigma * (2 * rng.NextDouble() - 1) / rootIn);
            ScaleBase = RegisterParameter("scale_base", sb);
        }
        double sp = options.Bases[0].Basis.ScaleSpOverRootIn ? options.ScaleSp / rootIn : options.ScaleSp;
        ScaleSp = RegisterParameter("scale_sp", Tensor.Full((float)sp, outFeatures, inFeatures));
        var coefs = new Tensor[spaces.Length];
        for (int s = 0; s < spaces.Length; s++)
        {
            var c = Tensor.Zeros(outFeatures, inFeatures, spaces[s].Count);
            spaces[s].InitCoefficients(c.AsSpanUntracked(), outFeatures, rng);
            coefs[s] = RegisterParameter(spaces.Length == 1 ? "coef" : "coef_" + spaces[s].Name, c);
        }
        Coefficients = coefs;
        if (spaces.Length > 1) MixLogits = RegisterParameter("mix_logits", Tensor.Zeros(outFeatures, spaces.Length));
        if (options.Bias) Bias = RegisterParameter("bias", Tensor.Zeros(outFeatures));
        Mask = RegisterBuffer("mask", Tensor.Ones(outFeatures, inFeatures));
        for (int s = 0; s < spaces.Length; s++)
            foreach (var (name, t) in spaces[s].Buffers)
                RegisterBuffer(spaces.Length == 1 ? name : name + "_" + spaces[s].Name, t);
    }

    /// <summary>The first B-spline space, or null (grid tools work on it).</summary>
    public BSplineBasis? Splines => Spaces.OfType<BSplineBasis>().FirstOrDefault();

    /// <summary>Column offset of space <paramref name="s"/>'s block in a feature row.</summary>
    public int FeatureOffset(int s) => _offsets[s];

    /// <summary>The SIMD width the kernels use (tests force each tier; GEMM always runs at its best width).</summary>
    public SimdTier Tier { get; set; } = SimdTier.Auto;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0 || x.Size(-1) != InFeatures)
            throw new ArgumentException($"KanLayer expects input [..., {InFeatures}]; got {Shapes.Format(x.Shape)}.", nameof(x));
        if (Norm is not null) x = Norm.Call(x);
        if (x.Rank == 2) return Apply(x);
        var outShape = x.Shape.ToArray();
        outShape[^1] = OutFeatures;
        return Ops.Reshape(Apply(Ops.Reshape(x, -1, InFeatures)), outShape);
    }

    /// <summary>Selection weights p = softmax(α) [out·spaces] (all ones for a single space).</summary>
    internal float[] MixWeights()
    {
        int ns = Spaces.Count;
        var p = new float[OutFeatures * ns];
        if (MixLogits is null) { p.AsSpan().Fill(1f); return p; }
        var a = MixLogits.AsSpanUntracked();
        for (int o = 0; o < OutFeatures; o++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int s = 0; s < ns; s++) max = Math.Max(max, a[o * ns + s]);
            for (int s = 0; s < ns; s++) sum += Math.Exp(a[o * ns + s] - max);
            for (int s = 0; s < ns; s++) p[o * ns + s] = (float)(Math.Exp(a[o * ns + s] - max) / sum);
        }
        return p;
    }

    /// <summary>W [out, K]: the edge parameters folded into one matrix (mask, scales, selection weights, coefficients).</summary>
    internal float[] FoldedWeights(float[] mix) => FoldedWeights(mix, new float[OutFeatures * FeatureCount]);

    internal float[] FoldedWeights(float[] mix, float[] w)
    {
        int outF = OutFeatures;
        int chunks = outF * FeatureCount < (1 << 15) ? 1 : Math.Min(outF, 4 * Parallelism.MaxThreads);
        var scratch = Rent(ref _spareFoldScale, chunks * InFeatures);
        Parallelism.For(chunks, c =>
        {
            var scale = scratch.AsSpan(c * InFeatures, InFeatures);
            for (int o = (int)((long)outF * c / chunks), o1 = (int)((long)outF * (c + 1) / chunks); o < o1; o++) FoldRow(o, mix, w, scale);
        });
        _spareFoldScale = scratch;
        return w;
    }

    // Row o of W: W[o, i] = mask·scale_base, W[o, off_s + j·in + i] = (mask·scale_sp·p_s)·coef_s[o, i, j]; each run of
    // the inputs is written contiguously (the coefficients are read with stride Count, within one row's few KiB).
    private void FoldRow(int o, float[] mix, float[] w, Span<float> scale)
    {
        int inF = InFeatures, k = FeatureCount, ns = Spaces.Count, e0 = o * inF;
        var mask = Mask.AsSpanUntracked().Slice(e0, inF);
        var ssp = ScaleSp.AsSpanUntracked().Slice(e0, inF);
        var row = w.AsSpan(o * k, k);
        if (ScaleBase is not null)
        {
            var sb = ScaleBase.AsSpanUntracked().Slice(e0, inF);
            for (int i = 0; i < inF; i++) row[i] = mask[i] * sb[i];
        }
        for (int s = 0; s < ns; s++)
        {
            int nb = Spaces[s].Count, off = _offsets[s];
            var c = Coefficients[s].AsSpanUntracked().Slice(e0 * nb, inF * nb);
            float ps = mix[o * ns + s];
            for (int i = 0; i < inF; i++) scale[i] = mask[i] * ssp[i] * ps;
            for (int j = 0; j < nb; j++) ScaleStrided(row.Slice(off + j * inF, inF), scale, c[j..], nb);
        }
    }

    // dst[i] = scale[i]·c[i·stride]; refs because the strided read defeats bounds-check elimination.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleStrided(Span<float> dst, ReadOnlySpan<float> scale, ReadOnlySpan<float> c, int stride)
    {
        if (c.Length < (long)(dst.Length - 1) * stride + 1 || scale.Length < dst.Length) throw new ArgumentException("strided operand too short.", nameof(c));
        ref float pd = ref MemoryMarshal.GetReference(dst);
        ref float ps = ref MemoryMarshal.GetReference(scale), pc = ref MemoryMarshal.GetReference(c);
        for (int i = 0; i < dst.Length; i++) Unsafe.Add(ref pd, i) = Unsafe.Add(ref ps, i) * Unsafe.Add(ref pc, (nint)i * stride);
    }

    /// <summary>Features [rows, K] of a contiguous x [rows, in].</summary>
    internal float[] Features(ReadOnlySpan<float> x, int rows) => Features(x, rows, GC.AllocateUninitializedArray<float>(rows * FeatureCount));

    private float[] Features(ReadOnlySpan<float> x, int rows, float[] f)
    {
        foreach (var s in Spaces) s.Prepare();
        if (ScaleBase is not null) KanBasisDriver.Expand(new SiluBase(), x, rows, InFeatures, f, FeatureCount, 0, Tier);
        for (int s = 0; s < Spaces.Count; s++) Spaces[s].Expand(x, rows, f, FeatureCount, _offsets[s], Tier);
        return f;
    }

    private Tensor Apply(Tensor x)
    {
        if (UsesSparsePath) return ApplySparse(x);
        int n = x.Size(0), outF = OutFeatures, k = FeatureCount;
        var xc = x.Contiguous();
        var xs = xc.AsSpanUntracked();
        var f = Features(xs, n, Rent(ref _spareFeatures, n * k));
        var mix = MixWeights();
        var w = FoldedWeights(mix, Rent(ref _spareWeights, outF * k));
        var y = GC.AllocateUninitializedArray<float>(n * outF);
        float beta = 0f;
        if (Bias is not null)
        {
            var b = Bias.AsSpanUntracked();
            for (int r = 0; r < n; r++) b.CopyTo(y.AsSpan(r * outF, outF));
            beta = 1f;
        }
        Gemm.Sgemm(false, true, n, outF, k, 1f, f, k, w, k, beta, y, outF);
        if (_symbolic.Count > 0) AddSymbolic(xs, n, y);
        if (RecordEdgeStatistics) LastStatistics = ComputeStatistics(xs, n, f, w, y);
        var yt = Tensor.FromArray(y, n, outF);
        var inputs = new List<Tensor> { x };
        if (ScaleBase is not null) inputs.Add(ScaleBase);
        inputs.Add(ScaleSp);
        inputs.AddRange(Coefficients);
        if (MixLogits is not null) inputs.Add(MixLogits);
        if (Bias is not null) inputs.Add(Bias);
        var inputArray = inputs.ToArray();
        if (!Autograd.ShouldRecord(inputArray))
        {
            _spareFeatures = f;
            _spareWeights = w;
            return yt;
        }
        var xd = xc.Detach();
        bool consumed = false;
        return Autograd.Record(yt, "kan_layer", inputArray, g =>
        {
            // f and w go back to the layer's pool after the backward, so a graph can be back-propagated once
            // (PyTorch's default without retain_graph).
            // A second pass (retainGraph, or a graph built by createGraph that leads back here): the buffers went back to
            // the pool, so they are rebuilt; the version check on the saved inputs guarantees the same values.
            if (consumed) return RebuiltBackward(g, xd, n, inputs);
            consumed = true;
            var grads = Backward(g, xd, n, f, w, mix, inputs);
            _spareFeatures = f;
            _spareWeights = w;
            return grads;
        }, saved: null, differentiable: g => DifferentiableBackward(g, inputArray));
    }

    // One spare buffer per role: steady-state training reuses the same memory every step (fresh multi-MB arrays
    // cost page faults on first touch, ~11 µs per 4 KiB on the reference machine).
    private float[]? _spareFeatures, _spareWeights, _spareGw, _spareGf, _spareFoldScale, _spareUnfoldF;
    private double[]? _spareUnfoldD;

    private static float[] Rent(ref float[]? slot, int length)
    {
        var a = slot;
        slot = null;
        return a is not null && a.Length == length ? a : GC.AllocateUninitializedArray<float>(length);
    }

    private static double[] RentDouble(ref double[]? slot, int length)
    {
        var a = slot;
        slot = null;
        return a is not null && a.Length == length ? a : GC.AllocateUninitializedArray<double>(length);
    }
}
