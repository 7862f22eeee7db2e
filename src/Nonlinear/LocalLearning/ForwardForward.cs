using Nonlinear.Activations;
using Nonlinear.Layers;
using Nonlinear.Losses;
using Nonlinear.Tensors;

namespace Nonlinear.LocalLearning;

/// <summary>
/// Forward-forward training (Hinton 2022) of a <see cref="ForwardForwardNet"/> as an <see cref="IGradientRule"/>. Per
/// batch: positive data is each image with its own label embedded, negative data the same image with a wrong label
/// (uniform over the other classes); every layer minimises
/// mean over the 2B rows of softplus(s·(g − θ)), s = −1 for positive and +1 for negative rows (the logistic loss
/// of mohammadpz/pytorch_forward_forward), with g the goodness (mean squared activity). Each layer's graph starts at
/// its detached input, so its gradient depends only on its own weights and its input; the read-out is trained with
/// cross-entropy on detached activities at the same time. All layers learn on every batch (not layer after layer).
/// </summary>
/// <remarks>
/// Layer-local optimizers: the trainer's Adam/AdamW/SGD updates each parameter from its own gradient and state only
/// (no global norm, no clipping), so one optimizer over gradients that never cross a layer is exactly one optimizer
/// per layer. Negative labels are drawn from a generator seeded with (seed, the batch's content), so a resumed run
/// draws the same negatives as the run it continues.
/// </remarks>
public sealed class ForwardForward : IGradientRule
{
    // The catalog's softplus is the stable form: no overflow for large goodness.
    private static readonly Activation Softplus = ActivationCatalog.Parse("softplus");
    private readonly ForwardForwardNet _net;
    private readonly ulong _seed;

    /// <summary>Trains <paramref name="net"/>; negatives drawn from <paramref name="seed"/>.</summary>
    public ForwardForward(ForwardForwardNet net, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(net);
        _net = net;
        _seed = seed;
    }

    /// <summary>The per-layer losses of the last batch (layer 0 first), for reports and tests.</summary>
    public IReadOnlyList<float> LastLayerLosses { get; private set; } = [];

    /// <summary>A wrong label for every sample: label + 1 + U{0 … classes−2} mod classes, from (seed, batch content).</summary>
    public int[] NegativeLabels(Tensor x, ReadOnlySpan<int> labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        // FNV-1a over the labels and the features' bits: the same batch always gets the same negatives.
        ulong h = 14695981039346656037UL ^ _seed;
        foreach (int l in labels) h = (h ^ (uint)l) * 1099511628211UL;
        foreach (float v in x.Contiguous().AsReadOnlySpan()) h = (h ^ BitConverter.SingleToUInt32Bits(v)) * 1099511628211UL;
        var rng = new Rng(h);
        int c = _net.Classes;
        var neg = new int[labels.Length];
        for (int b = 0; b < neg.Length; b++) neg[b] = (labels[b] + 1 + rng.NextInt(c - 1)) % c;
        return neg;
    }

    /// <summary>One layer's loss: mean softplus(s·(g − θ)) over positive (first half, s = −1) and negative (s = +1) rows.</summary>
    public static Tensor LayerLoss(Tensor goodness, float threshold)
    {
        ArgumentNullException.ThrowIfNull(goodness);
        int rows = goodness.Size(0), half = rows / 2;
        var sign = new float[rows];
        for (int i = 0; i < rows; i++) sign[i] = i < half ? -1f : 1f;
        return Ops.Mean(Softplus.Apply(Ops.Mul(Ops.AddScalar(goodness, -threshold), Tensor.FromArray(sign, rows))));
    }

    /// <inheritdoc/>
    /// <remarks>Returns the read-out's logits (one cheap neutral-label pass) and the sum of every layer's loss and the read-out's cross-entropy.</remarks>
    public (Tensor Logits, Tensor Loss) Compute(Module model, Tensor x, int[] labels, float labelSmoothing)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        if (!ReferenceEquals(model, _net)) throw new ArgumentException("forward-forward computes gradients for the net it was built for.", nameof(model));
        _net.InitLabelValue(x);
        var neg = NegativeLabels(x, labels);
        var h = Ops.Concat([_net.EmbedLabels(x, labels), _net.EmbedLabels(x, neg)], 0);
        var losses = new float[_net.LayerCount];
        double total = 0;
        for (int k = 0; k < _net.LayerCount; k++)
        {
            h = _net.LayerOutput(k, h.Detach());
            var loss = LayerLoss(ForwardForwardNet.Goodness(h), _net.Options.Threshold);
            loss.Backward();
            losses[k] = loss.Item();
            total += losses[k];
        }
        LastLayerLosses = losses;
        var logits = _net.ReadoutLogits(x);
        var ce = Loss.CrossEntropy(logits, labels, labelSmoothing);
        ce.Backward();
        total += ce.Item();
        return (logits.Detach(), Tensor.From((float)total));
    }
}
