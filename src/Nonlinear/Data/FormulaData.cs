using Nonlinear.Symbolic;
using Nonlinear.Tensors;

namespace Nonlinear.Data;

/// <summary>Synthetic regression sets drawn from a <see cref="Formula"/>.</summary>
public static class FormulaData
{
    /// <summary>
    /// <paramref name="count"/> points uniform on [low, high]^D (D = the formula's variable count, at least
    /// <paramref name="minFeatures"/>), each target evaluated in double and stored as float32. Drawn row by row,
    /// feature by feature from <paramref name="rng"/>, so a seed fixes the set.
    /// </summary>
    /// <exception cref="ArgumentException">count &lt; 1, an empty or reversed box, or a target that is not finite
    /// (the formula leaves its domain on the box; the message names the point).</exception>
    public static Dataset Sample(Formula formula, int count, Rng rng, double low = -1, double high = 1, int minFeatures = 0, string name = "formula")
    {
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(rng);
        if (count < 1) throw new InvalidInputException($"count must be ≥ 1; got {count}.", nameof(count));
        if (!(low < high) || !double.IsFinite(low) || !double.IsFinite(high))
            throw new InvalidInputException($"the box must satisfy low < high (finite); got [{low}, {high}].", nameof(low));
        int d = Math.Max(formula.Variables.Count, minFeatures);
        var x = new float[count * d];
        var y = new float[count];
        var point = new double[d];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < d; j++)
            {
                float v = (float)(low + (high - low) * rng.NextDouble());
                x[i * d + j] = v;
                point[j] = v; // the target of the stored (rounded) input, not of the unrounded draw
            }
            double t = formula.Evaluate(point);
            if (!double.IsFinite(t))
                throw new InvalidInputException($"formula {formula.Expression} is {t} at ({string.Join(", ", point.Select(p => p.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)))}); choose a box inside its domain.", nameof(formula));
            y[i] = (float)t;
        }
        return Dataset.Regression(x, y, d, name);
    }
}
