namespace Nonlinear.Quantization;

/// <summary>The registry of calibration methods, by name (case-insensitive).</summary>
public static class CalibrationMethods
{
    private static readonly CalibrationMethod[] Methods =
    [
        new MinMaxCalibration(),
        new PercentileCalibration(),
        new MseCalibration(),
        new EntropyCalibration(),
    ];

    /// <summary>Every method in registration order.</summary>
    public static IReadOnlyList<CalibrationMethod> All => Methods;

    /// <summary>The method called <paramref name="name"/>.</summary>
    /// <exception cref="InvalidInputException">Unknown name; the message lists the known ones.</exception>
    public static CalibrationMethod Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Methods.FirstOrDefault(m => m.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidInputException($"unknown calibration method '{name}'; expected one of {string.Join(", ", Methods.Select(m => m.Name))}.", nameof(name));
    }
}
