using System.Globalization;

namespace Nonlinear.LocalLearning;

/// <summary>
/// Hyper-parameters of Krotov &amp; Hopfield 2019, "Unsupervised learning by competing hidden units" (PNAS 116(16),
/// arXiv:1806.10181). Defaults: p = 3, k = 7, Δ = 0.4 and the read-out power n = 4.5 are the paper's MNIST values;
/// ε₀ = 0.02, minibatch 100, precision 1e-30 and the N(0, 1) initialisation are those of the authors' public code
/// (DimaKrotov/Biological_Learning). The paper trains for hundreds of epochs; the default here is 10 so a run
/// fits in minutes (the filters are recognisable after a few).
/// </summary>
public sealed record KrotovHopfieldOptions
{
    /// <summary>p of the Lebesgue norm the weights converge to (‖W_μ‖_p → 1); p = 2 is Oja-like.</summary>
    public double P { get; init; } = 3;
    /// <summary>Rank of the hidden unit that receives the anti-Hebbian update (the winner is rank 1); k ≥ 2.</summary>
    public int K { get; init; } = 7;
    /// <summary>Δ, the strength of the anti-Hebbian update of the rank-k unit.</summary>
    public double Delta { get; init; } = 0.4;
    /// <summary>ε₀: the learning rate of the first epoch, annealed linearly to 0 (ε = ε₀(1 − epoch/epochs)).</summary>
    public double LearningRate { get; init; } = 0.02;
    /// <summary>Unsupervised epochs.</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Samples per update (the last partial minibatch of an epoch is dropped, as the authors' code does).</summary>
    public int BatchSize { get; init; } = 100;
    /// <summary>Lower bound of the update's normaliser max|ΔW| (avoids 0/0 when nothing changes).</summary>
    public double Precision { get; init; } = 1e-30;
    /// <summary>n of the read-out's activation relu(x)ⁿ.</summary>
    public double Power { get; init; } = 4.5;

    /// <summary>Throws when a value is out of range; the message names the parameter.</summary>
    public void Validate(int hidden)
    {
        static string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        if (!(P >= 1) || !double.IsFinite(P)) throw new InvalidInputException($"hebbian-krotov p must be a finite number ≥ 1; got {F(P)}.", nameof(P));
        if (K < 2 || K > hidden) throw new InvalidInputException($"hebbian-krotov k must be in [2, {hidden}] (the hidden width); got {K}.", nameof(K));
        if (!(Delta >= 0) || !double.IsFinite(Delta)) throw new InvalidInputException($"hebbian-krotov delta must be a finite number ≥ 0; got {F(Delta)}.", nameof(Delta));
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new InvalidInputException($"hebbian-krotov eps must be a positive finite number; got {F(LearningRate)}.", nameof(LearningRate));
        if (Epochs < 1 || Epochs > 100_000) throw new InvalidInputException($"hebbian-krotov epochs must be in [1, 100000]; got {Epochs}.", nameof(Epochs));
        if (BatchSize < 1 || BatchSize > 1 << 20) throw new InvalidInputException($"hebbian-krotov batch must be in [1, 1048576]; got {BatchSize}.", nameof(BatchSize));
        if (!(Precision > 0) || !double.IsFinite(Precision)) throw new InvalidInputException($"hebbian-krotov precision must be a positive finite number; got {F(Precision)}.", nameof(Precision));
        if (!(Power >= 1) || !double.IsFinite(Power) || Power > 20) throw new InvalidInputException($"hebbian-krotov n must be in [1, 20]; got {F(Power)}.", nameof(Power));
    }
}
