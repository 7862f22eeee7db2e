using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>
/// Batch normalisation over [B, C] or [B, C, L] inputs, per channel c (torch.nn.BatchNorm1d):
/// y = (x − μ_c)·r_c·γ_c + β_c with r = 1/√(σ² + ε). Training mode uses the batch mean and the biased batch variance
/// (over the m = B·L values of a channel) and updates the buffers running_mean ← (1−momentum)·running_mean + momentum·μ,
/// running_var ← (1−momentum)·running_var + momentum·σ²·m/(m−1) (unbiased), exactly as PyTorch; evaluation mode uses the buffers.
/// Training backward with x̂ = (x − μ)·r, h = dy·γ: dx = r·(h − mean(h) − x̂·mean(h·x̂)); eval backward: dx = dy·γ·r.
/// dγ = Σ dy·x̂, dβ = Σ dy. One fused op; statistics accumulate in double. Ioffe and Szegedy 2015, https://arxiv.org/abs/1502.03167.
/// </summary>
public sealed class BatchNorm1d : Module
{
    /// <summary>Number of channels C.</summary>
    public int Features { get; }
    /// <summary>ε added to the variance.</summary>
    public float Eps { get; }
    /// <summary>Weight of the newest batch in the running statistics.</summary>
    public float Momentum { get; }
    /// <summary>Scale γ [C] (ones at init).</summary>
    public Tensor Weight { get; }
    /// <summary>Shift β [C] (zeros at init).</summary>
    public Tensor Bias { get; }
    /// <summary>Running mean buffer [C] (zeros at init).</summary>
    public Tensor RunningMean { get; }
    /// <summary>Running (unbiased) variance buffer [C] (ones at init).</summary>
    public Tensor RunningVar { get; }
    /// <summary>
    /// Training-mode forward passes so far, a scalar buffer (torch's num_batches_tracked), so a torch state dict loads
    /// without a missing key and ours loads into torch. Torch stores it as int64; tensors here are float32, which holds
    /// every count up to 2²⁴ exactly (the safetensors reader converts I64 values). Torch reads it only when momentum is
    /// None (a cumulative average), which this layer does not offer, so it is a counter carried along.
    /// </summary>
    public Tensor NumBatchesTracked { get; }

    /// <summary>Batch norm over <paramref name="features"/> channels.</summary>
    public BatchNorm1d(int features, float eps = 1e-5f, float momentum = 0.1f)
    {
        if (features <= 0) throw new ArgumentException($"features must be > 0; got {features}.", nameof(features));
        if (!(eps > 0f)) throw new ArgumentException($"eps must be > 0; got {eps}.", nameof(eps));
        if (!(momentum >= 0f && momentum <= 1f)) throw new ArgumentException($"momentum must be in [0, 1]; got {momentum}.", nameof(momentum));
        Features = features;
        Eps = eps;
        Momentum = momentum;
        Weight = RegisterParameter("weight", Tensor.Ones(features));
        Bias = RegisterParameter("bias", Tensor.Zeros(features));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(features));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones(features));
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", Tensor.Zeros());
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank is not (2 or 3) || x.Size(1) != Features)
            throw new ArgumentException($"BatchNorm1d expects input [B, {Features}] or [B, {Features}, L]; got {Shapes.Format(x.Shape)}.", nameof(x));
        var xc = x.Contiguous();
        int batch = xc.Size(0), c = Features, len = xc.Rank == 3 ? xc.Size(2) : 1, m = batch * len;
        bool training = IsTraining;
        if (training && m <= 1)
            throw new ArgumentException($"BatchNorm1d in training mode needs more than 1 value per channel; got input {Shapes.Format(x.Shape)}.", nameof(x));
        var mean = new float[c];
        var rstd = new float[c];
        ReadOnlySpan<float> xs = xc.AsSpanUntracked();
        if (training)
        {
            NumBatchesTracked.AsSpanUntracked()[0] += 1;
            var rm = RunningMean.AsSpanUntracked();
            var rv = RunningVar.AsSpanUntracked();
            for (int ch = 0; ch < c; ch++)
            {
                double s = 0;
                for (int bi = 0; bi < batch; bi++) foreach (float v in xs.Slice((bi * c + ch) * len, len)) s += v;
                double mu = s / m, ss = 0;
                for (int bi = 0; bi < batch; bi++) foreach (float v in xs.Slice((bi * c + ch) * len, len)) { double d = v - mu; ss += d * d; }
                double var = ss / m;
                mean[ch] = (float)mu;
                rstd[ch] = (float)(1 / Math.Sqrt(var + Eps));
                rm[ch] = (1 - Momentum) * rm[ch] + Momentum * (float)mu;
                rv[ch] = (1 - Momentum) * rv[ch] + Momentum * (float)(ss / (m - 1));
            }
        }
        else
        {
            RunningMean.AsSpanUntracked().CopyTo(mean);
            var rv = RunningVar.AsSpanUntracked();
            for (int ch = 0; ch < c; ch++) rstd[ch] = (float)(1 / Math.Sqrt(rv[ch] + (double)Eps));
        }
        var y = Tensor.FromArray(new float[xc.Length], xc.Shape.ToArray());
        var ys = y.AsSpanUntracked();
        ReadOnlySpan<float> w = Weight.AsSpanUntracked(), b = Bias.AsSpanUntracked();
        for (int bi = 0; bi < batch; bi++)
            for (int ch = 0; ch < c; ch++)
            {
                int o = (bi * c + ch) * len;
                for (int l = 0; l < len; l++) ys[o + l] = (xs[o + l] - mean[ch]) * rstd[ch] * w[ch] + b[ch];
            }
        return Autograd.Record(y, "batch_norm", [xc, Weight, Bias], g => Backward(g, xc, mean, rstd, len, training));
    }

    private Tensor?[] Backward(Tensor g, Tensor xc, float[] mean, float[] rstd, int len, bool training)
    {
        ReadOnlySpan<float> gs = g.Contiguous().AsSpanUntracked(), xs = xc.AsSpanUntracked(), w = Weight.AsSpanUntracked();
        int batch = xc.Size(0), c = Features, m = batch * len;
        var dx = Tensor.FromArray(new float[xs.Length], xc.Shape.ToArray());
        var dxs = dx.AsSpanUntracked();
        var dw = new float[c];
        var db = new float[c];
        for (int ch = 0; ch < c; ch++)
        {
            double sumG = 0, sumGX = 0;
            for (int bi = 0; bi < batch; bi++)
                for (int l = 0, o = (bi * c + ch) * len; l < len; l++)
                {
                    sumG += gs[o + l];
                    sumGX += gs[o + l] * ((xs[o + l] - mean[ch]) * (double)rstd[ch]);
                }
            dw[ch] = (float)sumGX;
            db[ch] = (float)sumG;
            // h = dy·γ, so mean(h) = γ·ΣDy/m and mean(h·x̂) = γ·Σdy·x̂/m.
            double k = w[ch] * (double)rstd[ch], mh = sumG / m, mhx = sumGX / m;
            for (int bi = 0; bi < batch; bi++)
                for (int l = 0, o = (bi * c + ch) * len; l < len; l++)
                {
                    double xh = (xs[o + l] - mean[ch]) * (double)rstd[ch];
                    dxs[o + l] = (float)(training ? k * (gs[o + l] - mh - xh * mhx) : k * gs[o + l]);
                }
        }
        return [xc.RequiresGrad ? dx : null,
            Weight.RequiresGrad ? Tensor.FromArray(dw, c) : null,
            Bias.RequiresGrad ? Tensor.FromArray(db, c) : null];
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{Features}, eps={PyFloat(Eps)}, momentum={PyFloat(Momentum)}, affine=True, track_running_stats=True";
}
