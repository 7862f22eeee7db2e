namespace Nonlinear.Layers.Learnable;

/// <summary>
/// The learnable activation units, one registration line each; the declaration (parameters, factory, documentation)
/// sits next to each module. <see cref="ActivationRegistry"/> merges them with the fixed catalog under unique names.
/// </summary>
public static class LearnableUnits
{
    /// <summary>Every learnable unit, in the order `activations list` shows them.</summary>
    public static IReadOnlyList<LearnableUnit> All { get; } =
    [
        PRelu.Unit,
        Apa.Unit,
        Sau.Unit,
        Rational.Unit,
        Snake.Unit,
        SnakeBeta.Unit,
    ];
}
