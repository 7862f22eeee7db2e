namespace Nonlinear.LocalLearning;

/// <summary>
/// Hyper-parameters of an <see cref="EchoStateNetwork"/> (Jaeger 2001; Lukoševičius 2012, "A practical guide to
/// applying echo state networks"): reservoir size, the spectral radius the recurrent matrix is rescaled to (its radius
/// is measured, not assumed), leak rate, input scaling, sparsity and the read-out's ridge penalty.
/// </summary>
public sealed record EchoStateOptions
{
    /// <summary>Reservoir units N.</summary>
    public int Size { get; init; } = 500;

    /// <summary>Target spectral radius ρ of W after rescaling.</summary>
    public double SpectralRadius { get; init; } = 0.9;

    /// <summary>Leak rate a in (0, 1]: x ← (1 − a)·x + a·tanh(W_in·[1; u] + W·x); 1 is a non-leaky ESN.</summary>
    public double Leak { get; init; } = 1.0;

    /// <summary>W_in entries are U(−s, s) for this s (the bias column too).</summary>
    public double InputScaling { get; init; } = 1.0;

    /// <summary>Fraction of W's entries that are zero, in [0, 1).</summary>
    public double Sparsity { get; init; } = 0.9;

    /// <summary>Ridge penalty λ of the read-out (Tikhonov: (XᵀX + λI)⁻¹XᵀY).</summary>
    public double Ridge { get; init; } = 1e-8;

    /// <summary>Initial steps whose states are discarded before fitting (the reservoir forgets its zero start).</summary>
    public int Washout { get; init; } = 100;

    /// <summary>Seed of W_in and W.</summary>
    public ulong Seed { get; init; }

    /// <summary>Throws on a value out of range.</summary>
    /// <exception cref="InvalidInputException">A value outside its documented range (these come from the CLI).</exception>
    public void Validate()
    {
        if (Size < 1 || Size > 20_000) throw new InvalidInputException($"reservoir size must be in [1, 20000]; got {Size}.", nameof(Size));
        if (!(SpectralRadius > 0 && SpectralRadius < 10)) throw new InvalidInputException($"spectral radius must be in (0, 10); got {SpectralRadius}.", nameof(SpectralRadius));
        if (!(Leak > 0 && Leak <= 1)) throw new InvalidInputException($"leak must be in (0, 1]; got {Leak}.", nameof(Leak));
        if (!(InputScaling >= 0 && double.IsFinite(InputScaling))) throw new InvalidInputException($"input scaling must be ≥ 0 and finite; got {InputScaling}.", nameof(InputScaling));
        if (!(Sparsity >= 0 && Sparsity < 1)) throw new InvalidInputException($"sparsity must be in [0, 1); got {Sparsity}.", nameof(Sparsity));
        if (!(Ridge >= 0 && double.IsFinite(Ridge))) throw new InvalidInputException($"ridge must be ≥ 0 and finite; got {Ridge}.", nameof(Ridge));
        if (Washout < 0) throw new InvalidInputException($"washout must be ≥ 0; got {Washout}.", nameof(Washout));
    }
}
