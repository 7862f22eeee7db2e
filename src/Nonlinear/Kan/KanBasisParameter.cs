namespace Nonlinear.Kan;

/// <summary>
/// One argument a KAN basis takes in a <see cref="KanBasisSpec"/> ("centres" of "rbf(centres=8)"): its name, default,
/// inclusive bounds and whether it is an integer. Bounds are checked when a spec is built, so a basis constructor only
/// sees values it accepts.
/// </summary>
/// <param name="Name">The argument name in specs ("centres").</param>
/// <param name="Default">The value when a spec leaves it out.</param>
/// <param name="Min">Smallest accepted value.</param>
/// <param name="Max">Largest accepted value.</param>
/// <param name="IsInteger">Whether only whole numbers are accepted.</param>
/// <param name="Description">A few words for help ("RBF centres R").</param>
public sealed record KanBasisParameter(string Name, double Default, double Min, double Max, bool IsInteger, string Description)
{
    /// <summary>"an integer in [2, 1000]" or "a number in [-1000000, 1000000]", for error messages.</summary>
    public string Expected => FormattableString.Invariant($"{(IsInteger ? "an integer" : "a number")} in [{Min}, {Max}]");

    /// <summary>Whether <paramref name="value"/> is within the bounds (and whole, for an integer).</summary>
    public bool Accepts(double value) => value >= Min && value <= Max && (!IsInteger || Math.Floor(value) == value);
}
