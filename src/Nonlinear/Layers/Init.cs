using Nonlinear.Tensors;

namespace Nonlinear.Layers;

/// <summary>The non-linearity a weight feeds, for <see cref="Init.CalculateGain"/> (torch.nn.init.calculate_gain).</summary>
public enum Nonlinearity
{
    /// <summary>Gain 1 (also conv and identity).</summary>
    Linear,
    /// <summary>Gain 1.</summary>
    Sigmoid,
    /// <summary>Gain 5/3.</summary>
    Tanh,
    /// <summary>Gain √2.</summary>
    Relu,
    /// <summary>Gain √(2/(1+a²)) for negative slope a.</summary>
    LeakyRelu,
    /// <summary>Gain 3/4.</summary>
    Selu,
}

/// <summary>Whether Kaiming initialisation preserves the variance of activations (fan-in) or of gradients (fan-out).</summary>
public enum FanMode
{
    /// <summary>Use the number of inputs per output: size(1)·receptive field.</summary>
    FanIn,
    /// <summary>Use the number of outputs per input: size(0)·receptive field.</summary>
    FanOut,
}

/// <summary>
/// In-place weight initialisers with the formulas of torch.nn.init. Each fills a contiguous tensor from the given
/// <see cref="Rng"/> and returns it. Uniform draws are low + (high−low)·u with u in [0, 1), so every value lies in [low, high).
/// </summary>
public static class Init
{
    /// <summary>Recommended gain for a non-linearity: linear/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1+a²)), selu 3/4.</summary>
    public static double CalculateGain(Nonlinearity nonlinearity, double negativeSlope = 0.01) => nonlinearity switch
    {
        Nonlinearity.Linear or Nonlinearity.Sigmoid => 1.0,
        Nonlinearity.Tanh => 5.0 / 3.0,
        Nonlinearity.Relu => Math.Sqrt(2.0),
        Nonlinearity.LeakyRelu => Math.Sqrt(2.0 / (1 + negativeSlope * negativeSlope)),
        Nonlinearity.Selu => 0.75,
        _ => throw new ArgumentException($"unknown nonlinearity {nonlinearity}.", nameof(nonlinearity)),
    };

    /// <summary>(fan_in, fan_out) = (size(1)·r, size(0)·r) with r the product of the dimensions after the second.</summary>
    /// <exception cref="ArgumentException">The tensor has fewer than 2 dimensions.</exception>
    public static (int FanIn, int FanOut) Fans(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException($"fans need a tensor with at least 2 dimensions; got shape {Shapes.Format(tensor.Shape)}.", nameof(tensor));
        int receptive = 1;
        for (int d = 2; d < tensor.Rank; d++) receptive *= tensor.Size(d);
        return (tensor.Size(1) * receptive, tensor.Size(0) * receptive);
    }

    /// <summary>U(−b, b) with b = gain·√(3/fan), gain = CalculateGain(nonlinearity, a) (kaiming_uniform_).</summary>
    public static Tensor KaimingUniform(Tensor tensor, Rng rng, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu)
    {
        double bound = CalculateGain(nonlinearity, a) * Math.Sqrt(3.0 / Fan(tensor, mode));
        return Uniform(tensor, rng, -bound, bound);
    }

    /// <summary>N(0, σ²) with σ = gain/√fan (kaiming_normal_).</summary>
    public static Tensor KaimingNormal(Tensor tensor, Rng rng, double a = 0, FanMode mode = FanMode.FanIn, Nonlinearity nonlinearity = Nonlinearity.LeakyRelu) =>
        Normal(tensor, rng, 0, CalculateGain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode)));

    /// <summary>U(−b, b) with b = gain·√(6/(fan_in+fan_out)) (xavier_uniform_).</summary>
    public static Tensor XavierUniform(Tensor tensor, Rng rng, double gain = 1.0)
    {
        var (fi, fo) = Fans(tensor);
        double bound = gain * Math.Sqrt(6.0 / (fi + fo));
        return Uniform(tensor, rng, -bound, bound);
    }

    /// <summary>N(0, σ²) with σ = gain·√(2/(fan_in+fan_out)) (xavier_normal_).</summary>
    public static Tensor XavierNormal(Tensor tensor, Rng rng, double gain = 1.0)
    {
        var (fi, fo) = Fans(tensor);
        return Normal(tensor, rng, 0, gain * Math.Sqrt(2.0 / (fi + fo)));
    }

    /// <summary>U(low, high) (uniform_).</summary>
    public static Tensor Uniform(Tensor tensor, Rng rng, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(low <= high) || !double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"uniform needs finite low ≤ high; got low={low}, high={high}.", nameof(low));
        var s = tensor.AsSpan();
        for (int i = 0; i < s.Length; i++)
        {
            // Clamp guards the float rounding of low + width·u from landing on high itself.
            float v = (float)(low + (high - low) * rng.NextFloat());
            s[i] = v < (float)high || low == high ? v : MathF.BitDecrement((float)high);
        }
        return tensor;
    }

    /// <summary>N(mean, std²) (normal_).</summary>
    public static Tensor Normal(Tensor tensor, Rng rng, double mean = 0, double std = 1)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(std >= 0) || !double.IsFinite(std) || !double.IsFinite(mean))
            throw new ArgumentException($"normal needs finite mean and std ≥ 0; got mean={mean}, std={std}.", nameof(std));
        var s = tensor.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = (float)(mean + std * rng.NextGaussian());
        return tensor;
    }

    /// <summary>Fills with 0 (zeros_). No randomness, so no Rng.</summary>
    public static Tensor Zeros(Tensor tensor) { tensor.AsSpan().Clear(); return tensor; }

    /// <summary>Fills with 1 (ones_). No randomness, so no Rng.</summary>
    public static Tensor Ones(Tensor tensor) { tensor.AsSpan().Fill(1f); return tensor; }

    private static int Fan(Tensor tensor, FanMode mode)
    {
        var (fi, fo) = Fans(tensor);
        int fan = mode == FanMode.FanIn ? fi : fo;
        if (fan == 0) throw new ArgumentException($"tensor of shape {Shapes.Format(tensor.Shape)} has fan 0.", nameof(tensor));
        return fan;
    }
}
