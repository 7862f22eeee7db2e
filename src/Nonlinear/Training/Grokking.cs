using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Layers.Transformer;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Training;

/// <summary>One evaluation of a grokking run.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TrainLoss">Mean cross-entropy on the training pairs.</param>
/// <param name="TrainAccuracy">Accuracy on the training pairs.</param>
/// <param name="TestLoss">Mean cross-entropy on the held-out pairs.</param>
/// <param name="TestAccuracy">Accuracy on the held-out pairs.</param>
public sealed record GrokPoint(int Step, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy);

/// <summary>
/// Grokking of modular addition (Nanda et al. 2023, https://arxiv.org/abs/2301.05217): every pair (a, b) of
/// 0 … p−1 is the sequence "a b =" (token p is "="), the label (a + b) mod p read at the last position. The p² pairs
/// are shuffled by the seed; the first <c>TrainFraction</c> train. The model is the paper's and the peer's
/// (../shared/peers/grokking.py): one block, width 128, 4 heads, ReLU MLP 512 with biases, no LayerNorm, no attention
/// biases, learned positions, untied unembedding with p outputs (no "=" class); W_E, W_pos, attention and MLP weights
/// N(0, 1/128), W_U N(0, 1/p); full-batch AdamW lr 1e-3, betas (0.9, 0.98), weight decay 1.0 on every parameter,
/// lr warm-up min(step/10, 1); the cross-entropy in double (the paper's float64 log-softmax: the late losses of
/// ~1e-7 are below float's resolution of log-sum-exp − logit).
/// The forward exploits the task's structure (see <see cref="LastLogits"/>): keys and values once per distinct
/// token, everything after attention at the "=" position only; the loss and gradients are the whole forward's.
/// Differences from the peer: our Rng, not torch's, draws the split and the weights; the head keeps a p+1-th row
/// for "=" (the model's vocabulary) that no loss reads: it gets no gradient and weight decay shrinks it.
/// </summary>
public sealed class Grokking
{
    private readonly int[] _trainX, _testX, _trainY, _testY;
    private readonly Tensor _positions;
    private readonly TransformerBlock _block;
    private readonly Linear _head;

    /// <summary>The modulus.</summary>
    public int P { get; }
    /// <summary>The transformer.</summary>
    public DecoderTransformer Model { get; }
    /// <summary>The optimiser.</summary>
    public AdamW Optimizer { get; }
    /// <summary>Steps done.</summary>
    public int Step { get; private set; }
    /// <summary>Training pairs.</summary>
    public int TrainCount => _trainY.Length;
    /// <summary>Held-out pairs.</summary>
    public int TestCount => _testY.Length;

    /// <summary>Builds data, model and optimiser.</summary>
    /// <exception cref="InvalidInputException">p outside [2, 1000] or a fraction outside (0, 1).</exception>
    public Grokking(int p = 113, double trainFraction = 0.3, ulong seed = 0, double weightDecay = 1.0, double lr = 1e-3)
    {
        if (p is < 2 or > 1000) throw new InvalidInputException($"--p {p}: expected [2, 1000].", nameof(p));
        if (!(trainFraction > 0 && trainFraction < 1)) throw new InvalidInputException($"--train-fraction {trainFraction}: expected (0, 1).", nameof(trainFraction));
        P = p;
        var order = Enumerable.Range(0, p * p).ToArray();
        new Rng(seed).Shuffle(order.AsSpan());
        int nTrain = (int)(trainFraction * p * p);
        (_trainX, _trainY) = Encode(order[..nTrain], p);
        (_testX, _testY) = Encode(order[nTrain..], p);
        var config = new TransformerConfig(p + 1, 1, 128, 4, 3)
        {
            Mlp = MlpSpec.Parse("relu"), Hidden = 512, Norm = NormKind.None, TieWeights = false, AttentionBias = false,
            InitStd = 1 / Math.Sqrt(128), ScaleResidualInit = false,
        };
        var rng = new Rng(seed + 1);
        Model = new DecoderTransformer(config, rng);
        _positions = Model.NamedParameters().First(t => t.Name == "pos_emb").Tensor;
        _block = (TransformerBlock)Model.GetSubmodule("blocks.0");
        _head = (Linear)Model.GetSubmodule("head");
        // The paper's W_U is randn(d, p)/√p: fan-in of the unembedding's transpose, not 1/√d.
        var wu = _head.Weight.AsSpan();
        double su = 1 / Math.Sqrt(p);
        for (int i = 0; i < wu.Length; i++) wu[i] = (float)(su * rng.NextGaussian());
        Optimizer = new AdamW(Model.Parameters(), lr, (0.9, 0.98), 1e-8, weightDecay);
    }

    private static (int[] X, int[] Y) Encode(int[] pairs, int p)
    {
        var x = new int[pairs.Length * 3];
        var y = new int[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            int a = pairs[i] / p, b = pairs[i] % p;
            x[3 * i] = a; x[3 * i + 1] = b; x[3 * i + 2] = p;
            y[i] = (a + b) % p;
        }
        return (x, y);
    }

    /// <summary>
    /// Logits [N, p] at the "=" position of the sequences <paramref name="x"/> ("a b =", 3 ids each), through the
    /// model's own weights. Every sequence has a at position 0, b at 1 and "=" at 2, so the residual stream before
    /// attention takes only p + p + 1 distinct rows: q, k and v are computed once per distinct row (the query is the
    /// "=" row's) and gathered per sequence, and only the "=" position goes on through the output projection, the
    /// MLP and the unembedding (the loss reads nothing else). The function and its gradients are the whole-sequence
    /// forward's, <c>Model.Logits(x, N, 3)[:, 2, :p]</c> (a test asserts both); a step costs about a third of it.
    /// </summary>
    /// <exception cref="ArgumentException">A sequence that is not "a b =" with a, b in [0, p).</exception>
    public Tensor LastLogits(int[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length % 3 != 0) throw new ArgumentException($"expected sequences of 3 ids; got {x.Length} ids.", nameof(x));
        int n = x.Length / 3, p = P, d = Model.Config.Width, heads = Model.Config.Heads, hd = d / heads;
        var ia = new int[n];
        var ib = new int[n];
        for (int i = 0; i < n; i++)
        {
            ia[i] = x[3 * i];
            ib[i] = x[3 * i + 1];
            if ((uint)ia[i] >= (uint)p || (uint)ib[i] >= (uint)p || x[3 * i + 2] != p)
                throw new ArgumentException($"sequence {i} is [{x[3 * i]}, {x[3 * i + 1]}, {x[3 * i + 2]}]; expected [a, b, {p}] with a, b in [0, {p}).", nameof(x));
        }
        var numbers = Enumerable.Range(0, p).ToArray();
        var emb = Model.TokenEmbedding.Weight;
        var ra = Ops.Add(Ops.IndexSelect(emb, 0, numbers), Ops.Select(_positions, 0, 0));   // [p, d]: a at position 0
        var rb = Ops.Add(Ops.IndexSelect(emb, 0, numbers), Ops.Select(_positions, 0, 1));   // [p, d]: b at position 1
        var re = Ops.Add(Ops.IndexSelect(emb, 0, [p]), Ops.Slice(_positions, 0, 2, 1));    // [1, d]: "=" at position 2
        var attn = _block.Attention;
        var qa = attn.Qkv.Call(ra);
        var qb = attn.Qkv.Call(rb);
        var qe = attn.Qkv.Call(re);                                                        // [1, 3d]
        var q = Ops.Reshape(Ops.Slice(qe, -1, 0, d), 1, heads, hd);
        Tensor Part(Tensor t, int which) => Ops.Reshape(Ops.Slice(t, -1, which * d, d), t.Size(0), heads, hd);
        float scale = 1f / MathF.Sqrt(hd);
        // Scores of the "=" query against each distinct key [rows, H], then gathered per sequence: [n, 3, H].
        Tensor Scores(Tensor qkv) => Ops.MulScalar(Ops.Sum(Ops.Mul(q, Part(qkv, 1)), -1), scale);
        var sa = Ops.IndexSelect(Scores(qa), 0, ia);
        var sb = Ops.IndexSelect(Scores(qb), 0, ib);
        var se = Ops.Expand(Scores(qe), n, heads);
        // The last query sees every key, so no mask: softmax over the 3 keys per head.
        var pattern = Ops.Softmax(Ops.Stack([sa, sb, se], 2));                              // [n, H, 3]
        Tensor Weighted(int j, Tensor values) => Ops.Mul(Ops.Unsqueeze(Ops.Select(pattern, 2, j), -1), values);
        var z = Ops.Add(Ops.Add(
            Weighted(0, Ops.IndexSelect(Part(qa, 2), 0, ia)),
            Weighted(1, Ops.IndexSelect(Part(qb, 2), 0, ib))),
            Weighted(2, Part(qe, 2)));                                                        // [n, H, hd]
        var r1 = Ops.Add(re, attn.Proj.Call(Ops.Reshape(z, n, d)));
        var r2 = Ops.Add(r1, _block.Mlp.Call(r1));
        return Ops.Slice(_head.Call(r2), -1, 0, p);
    }

    /// <summary>One full-batch step with the paper's warm-up; returns the training loss.</summary>
    public double TrainStep()
    {
        Optimizer.LearningRate = Optimizer.InitialLearningRate * Math.Min(Step / 10.0, 1.0);
        Optimizer.ZeroGrad();
        var loss = DoubleCrossEntropy(LastLogits(_trainX), _trainY, out double value);
        loss.Backward();
        Optimizer.Step();
        Step++;
        return value;
    }

    /// <summary>Loss and accuracy on both splits (no gradients).</summary>
    public GrokPoint Evaluate()
    {
        using var _ = Autograd.NoGrad();
        var (trL, trA) = Score(_trainX, _trainY);
        var (teL, teA) = Score(_testX, _testY);
        return new GrokPoint(Step, trL, trA, teL, teA);
    }

    private (double Loss, double Accuracy) Score(int[] x, int[] y)
    {
        var logits = LastLogits(x).Contiguous();
        DoubleCrossEntropy(logits, y, out double loss);
        var v = logits.AsReadOnlySpan();
        int n = y.Length, c = P, correct = 0;
        for (int i = 0; i < n; i++)
            if (Kernels.Reduce.ArgMax(v.Slice(i * c, c)) == y[i]) correct++;
        return (loss, (double)correct / n);
    }

    /// <summary>
    /// Mean cross-entropy of <paramref name="logits"/> [N, C] with log-softmax and gradient in double, as the paper's
    /// float64 loss: ℓᵢ = lseᵢ − xᵢ,yᵢ, gradient (softmax(xᵢ) − onehot(yᵢ))/N with the target's entry written as
    /// −Σ_{j≠y} softmax_j, which keeps its ~1e-7 size where float's 1 − p would round to 0. Returns the loss tensor
    /// (float) and its double value in <paramref name="value"/>.
    /// </summary>
    internal static Tensor DoubleCrossEntropy(Tensor logits, int[] labels, out double value)
    {
        var lc = logits.Contiguous();
        int n = lc.Size(0), c = lc.Size(1);
        var xs = lc.AsReadOnlySpan();
        var lse = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var row = xs.Slice(i * c, c);
            double max = double.NegativeInfinity;
            for (int j = 0; j < c; j++) max = Math.Max(max, row[j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.Exp(row[j] - max);
            lse[i] = max + Math.Log(sum);
            total += lse[i] - row[labels[i]];
        }
        value = total / n;
        var result = Ops.Scalar((float)value);
        return Autograd.Record(result, "cross_entropy_f64", [lc], g =>
        {
            double scale = g.Item() / n;
            var src = lc.AsReadOnlySpan();
            var dx = new float[n * c];
            for (int i = 0; i < n; i++)
            {
                double off = 0;
                for (int j = 0; j < c; j++)
                {
                    if (j == labels[i]) continue;
                    double pj = Math.Exp(src[i * c + j] - lse[i]);
                    off += pj;
                    dx[i * c + j] = (float)(pj * scale);
                }
                dx[i * c + labels[i]] = (float)(-off * scale);
            }
            return [Tensor.FromArray(dx, n, c)];
        });
    }

    /// <summary>
    /// The embedding's Fourier spectrum: for k = 1 … ⌊p/2⌋ the norm of the projection of W_E[0..p−1] (a p × d matrix)
    /// onto the unit vectors cos(2πka/p)·√(2/p) and sin(2πka/p)·√(2/p) of a; the paper finds a few key frequencies
    /// carrying most of the norm after grokking.
    /// </summary>
    public double[] EmbeddingFourierNorms()
    {
        var w = Model.TokenEmbedding.Weight.ToArray();
        int d = Model.Config.Width, p = P;
        var norms = new double[p / 2];
        for (int k = 1; k <= p / 2; k++)
        {
            double sq = 0;
            for (int j = 0; j < d; j++)
            {
                double c = 0, s = 0;
                for (int a = 0; a < p; a++)
                {
                    double angle = 2 * Math.PI * k * a / p;
                    c += Math.Cos(angle) * w[a * d + j];
                    s += Math.Sin(angle) * w[a * d + j];
                }
                sq += 2.0 / p * (c * c + s * s);
            }
            norms[k - 1] = Math.Sqrt(sq);
        }
        return norms;
    }
}
