using System.Globalization;
using Nonlinear.Layers;

namespace Nonlinear.Cli.Search;

/// <summary>What the probe made of a candidate: a usable activation with its behaviour key, or the reason it was discarded.</summary>
internal sealed record ProbeResult(string Formula, ActivationSpec? Spec, string? Key, string? Discarded);

/// <summary>
/// Deduplicates candidates by behaviour, as the paper's search does: the values at fixed points (in double, rounded to four
/// significant digits) are the key, so x·σ(x) and σ(x)·x, or max(x, x) and x, are one function and trained once. A candidate
/// is discarded when it is not a valid formula activation (not finite on [−6, 6], or its derivative fails the
/// finite-difference check) or when it is constant over the probe points (no gradient signal to train with).
/// </summary>
internal static class BehaviourProbe
{
    /// <summary>33 points over [−4, 4], off the integers and 0 where the primitives have their kinks.</summary>
    public static IReadOnlyList<double> Points { get; } = Enumerable.Range(0, 33).Select(k => -4 + 8 * (k + 0.37) / 33).ToArray();

    /// <summary>Probes one formula.</summary>
    public static ProbeResult Probe(string formula)
    {
        ActivationSpec spec;
        try { spec = ActivationSpec.Parse(formula); }
        catch (InvalidInputException e) { return new(formula, null, null, MessageText(e)); }
        var f = spec.Fixed!;
        var values = Points.Select(f.Reference).ToArray();
        double lo = values.Min(), hi = values.Max();
        if (hi - lo <= 1e-6 * (1 + Math.Abs(hi))) return new(formula, null, null, "constant on the probe points");
        string key = string.Join(",", values.Select(v => Round(v).ToString("G4", CultureInfo.InvariantCulture)));
        return new(formula, spec, key, null);
    }

    // Four significant digits, and −0 and tiny values as 0, so float noise in equal functions does not split them.
    private static double Round(double v) => Math.Abs(v) < 1e-9 ? 0 : double.Parse(v.ToString("G4", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string MessageText(InvalidInputException e)
    {
        string m = e.Message;
        int p = m.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return p >= 0 ? m[..p] : m;
    }
}
