namespace Nonlinear.Optim;

/// <summary>
/// lr(e) = η_min + (base − η_min)·(1 + cos(π·e/T_max))/2, PyTorch's closed form of
/// torch.optim.lr_scheduler.CosineAnnealingLR (periodic past T_max, as PyTorch's). Loshchilov and Hutter 2016,
/// https://arxiv.org/abs/1608.03983.
/// </summary>
public sealed class CosineAnnealingLR : LrScheduler
{
    /// <summary>Half-period in epochs.</summary>
    public int TMax { get; }
    /// <summary>Minimum learning rate η_min.</summary>
    public double EtaMin { get; }

    /// <summary>Anneals from the base rate to <paramref name="etaMin"/> over <paramref name="tMax"/> epochs.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax <= 0) throw new ArgumentException($"tMax must be > 0; got {tMax}.", nameof(tMax));
        if (!(etaMin >= 0) || !double.IsFinite(etaMin)) throw new ArgumentException($"etaMin must be finite and ≥ 0; got {etaMin}.", nameof(etaMin));
        TMax = tMax;
        EtaMin = etaMin;
        Apply();
    }

    /// <inheritdoc/>
    public override double LearningRateAt(int epoch) =>
        EtaMin + (BaseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * epoch / TMax)) / 2;
}
