using Nonlinear.Kernels.Learnable;

namespace Nonlinear.Layers.Learnable;

/// <summary>Fits are deterministic and cost milliseconds; a model with several layers asks for the same one each time.</summary>
internal static class RationalFitCache
{
    private static readonly Dictionary<string, RationalFit> Fits = [];

    public static RationalFit Get(string target, double range, int m, int n, RationalForm form, RationalFitMode mode)
    {
        string key = FormattableString.Invariant($"{target}|{range}|{m}|{n}|{form}|{mode}");
        lock (Fits)
        {
            if (!Fits.TryGetValue(key, out var fit)) Fits[key] = fit = Rational.FitTo(target, -range, range, m, n, form, mode);
            return fit;
        }
    }
}
