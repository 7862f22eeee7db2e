using Nonlinear.Autodiff;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Losses;

/// <summary>Loss functions: each returns a rank-0 tensor (mean over the batch) with its backward rule.</summary>
public static partial class Loss
{
    /// <summary>
    /// Mean cross-entropy of logits [B, C] against class indices (torch.nn.functional.cross_entropy with
    /// reduction='mean' and label_smoothing=ε): ℓᵢ = −Σ_c qᵢc·log softmax(xᵢ)_c with target distribution
    /// q = (1−ε)·onehot(tᵢ) + ε/C, loss = (1/B)·Σᵢ ℓᵢ. Fused: one log-sum-exp pass per row, so
    /// ℓᵢ = lseᵢ − (1−ε)·xᵢ,tᵢ − (ε/C)·Σ_c xᵢc. Backward: (softmax(xᵢ) − qᵢ)·g/B. An empty batch gives NaN (0/0, as PyTorch).
    /// </summary>
    /// <exception cref="ArgumentException">logits not 2-D, targets of the wrong length, a target outside [0, C) (named), ε outside [0, 1].</exception>
    public static Tensor CrossEntropy(Tensor logits, int[] targets, float labelSmoothing = 0f)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        if (logits.Rank != 2)
            throw new ArgumentException($"CrossEntropy expects logits of shape [batch, classes]; got {Shapes.Format(logits.Shape)}.", nameof(logits));
        int batch = logits.Size(0), classes = logits.Size(1);
        ValidateTargets(targets, batch, classes);
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentException($"labelSmoothing must be in [0, 1]; got {labelSmoothing}.", nameof(labelSmoothing));
        float eps = labelSmoothing, onTarget = 1f - eps, offEach = classes == 0 ? 0f : eps / classes;
        // Read the logits in place (copied only when a view): rows are xs[xo + i·C …].
        var xc = logits.IsContiguous ? logits : Ops.Copy(logits.Detach());
        float[] xs = xc.Storage;
        int xo = xc.Offset;
        var lse = new float[batch];
        var scratch = new float[classes];
        double total = 0;
        for (int i = 0; i < batch; i++)
        {
            var row = xs.AsSpan(xo + i * classes, classes);
            lse[i] = SoftmaxRows.LogSumExp(row, scratch);
            float smooth = eps == 0f ? 0f : offEach * Reduce.Sum(row);
            total += lse[i] - onTarget * row[targets[i]] - smooth;
        }
        // Per-row losses are summed in double so the batch mean does not lose digits for large batches.
        var y = Ops.Scalar((float)(total / batch));
        var tg = (int[])targets.Clone();
        return Autograd.Record(y, "cross_entropy", [logits], g =>
        {
            float scale = g.Item() / batch;
            _ = xc.Storage;   // throws if a closed TensorArena scope took the logits back (xs is that array)
            var dxT = TensorArena.Empty([batch, classes]);
            var dx = dxT.Storage;
            for (int i = 0; i < batch; i++)
            {
                var d = dx.AsSpan(i * classes, classes);
                UnaryDriver.Forward(new SoftmaxMinusKernel(lse[i], offEach, scale), xs.AsSpan(xo + i * classes, classes), d);
                d[tg[i]] -= onTarget * scale;
            }
            return [dxT];
        });
    }

    /// <summary>
    /// <see cref="CrossEntropy(Tensor, int[], float)"/> with the class indices given as a 1-D tensor of exact integers
    /// (torch's LongTensor target), e.g. <c>Tensor.From(0f, 2f, 1f)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">labels not 1-D, an entry that is not an exact integer, or one outside [0, C) (named).</exception>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels, float labelSmoothing = 0f) =>
        CrossEntropy(logits, ClassLabels.ToIndices(labels, nameof(labels)), labelSmoothing);

    /// <summary><see cref="Nll(Tensor, int[])"/> with the class indices given as a 1-D tensor of exact integers.</summary>
    /// <exception cref="ArgumentException">labels not 1-D, an entry that is not an exact integer, or one outside [0, C) (named).</exception>
    public static Tensor Nll(Tensor logProbs, Tensor labels) => Nll(logProbs, ClassLabels.ToIndices(labels, nameof(labels)));

    /// <summary>
    /// Mean negative log-likelihood of log-probabilities [B, C] (torch.nn.functional.nll_loss, reduction='mean'):
    /// −(1/B)·Σᵢ logpᵢ,tᵢ. Backward: −g/B at each target position.
    /// </summary>
    public static Tensor Nll(Tensor logProbs, int[] targets)
    {
        ArgumentNullException.ThrowIfNull(logProbs);
        ArgumentNullException.ThrowIfNull(targets);
        if (logProbs.Rank != 2)
            throw new ArgumentException($"Nll expects log-probabilities of shape [batch, classes]; got {Shapes.Format(logProbs.Shape)}.", nameof(logProbs));
        int batch = logProbs.Size(0), classes = logProbs.Size(1);
        ValidateTargets(targets, batch, classes);
        var picked = Ops.Gather(logProbs, 1, targets, [batch, 1]);
        return Ops.Neg(Ops.Mean(picked));
    }

    private static void ValidateTargets(int[] targets, int batch, int classes)
    {
        if (targets.Length != batch)
            throw new ArgumentException($"targets has {targets.Length} entries; expected {batch} (the batch size).", nameof(targets));
        for (int i = 0; i < targets.Length; i++)
            if ((uint)targets[i] >= (uint)classes)
                throw new ArgumentException($"targets[{i}] = {targets[i]} is outside [0, {classes}) (the number of classes).", nameof(targets));
    }
}
