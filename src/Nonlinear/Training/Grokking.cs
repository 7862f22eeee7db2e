using Nonlinear.Autodiff;
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
/// are shuffled by the seed; the first <c>TrainFraction</c> train. The model is the paper's: one block, width 128,
/// 4 heads, ReLU MLP 512, no LayerNorm, learned positions, untied unembedding, weights N(0, 1/128); full-batch AdamW
/// lr 1e-3, betas (0.9, 0.98), weight decay 1.0 on every parameter, lr warm-up min(step/10, 1) as in the paper's code.
/// Differences from the peer (../shared/peers/grokking.py): the unembedding has p + 1 outputs (the "=" logit is
/// trained down like any wrong class) and attention and MLP have biases (zero at init).
/// </summary>
public sealed class Grokking
{
    private readonly int[] _trainX, _testX, _trainY, _testY;

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
        double std = 1 / Math.Sqrt(128);
        var config = new TransformerConfig(p + 1, 1, 128, 4, 3)
        {
            Mlp = MlpSpec.Parse("relu"), Hidden = 512, Norm = NormKind.None, TieWeights = false,
            InitStd = std, ScaleResidualInit = false,
        };
        Model = new DecoderTransformer(config, new Rng(seed + 1));
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

    // Logits at the "=" position [N, p + 1].
    private Tensor LastLogits(int[] x) => Ops.Select(Model.Logits(x, x.Length / 3, 3), 1, 2);

    /// <summary>One full-batch step with the paper's warm-up; returns the training loss.</summary>
    public float TrainStep()
    {
        Optimizer.LearningRate = Optimizer.InitialLearningRate * Math.Min(Step / 10.0, 1.0);
        Optimizer.ZeroGrad();
        var loss = Loss.CrossEntropy(LastLogits(_trainX), _trainY);
        loss.Backward();
        Optimizer.Step();
        Step++;
        return loss.Item();
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
        var logits = LastLogits(x);
        double loss = Loss.CrossEntropy(logits, y).Item();
        var v = logits.ToArray();
        int n = y.Length, c = P + 1, correct = 0;
        for (int i = 0; i < n; i++)
            if (Kernels.Reduce.ArgMax(v.AsSpan(i * c, c)) == y[i]) correct++;
        return (loss, (double)correct / n);
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
