using System.Text.Json;

namespace Nonlinear.Tests.Optim;

/// <summary>Reads fixtures/optim_torch.json (written by tools/golden/optim_torch.py with torch 1.13).</summary>
internal static class TorchGolden
{
    private static readonly Lazy<JsonElement> Doc = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "optim_torch.json"))).RootElement);

    public static JsonElement Root => Doc.Value;

    public static float[] Floats(this JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    /// <summary>One float32 ulp at the magnitude of the largest |value| in <paramref name="reference"/>.</summary>
    public static float UlpOfMax(float[] reference)
    {
        float max = reference.Max(MathF.Abs);
        return MathF.BitIncrement(max) - max;
    }

    /// <summary>Asserts |actual − expected| ≤ ulps·ulp(max|expected|) elementwise, naming the first offending index.</summary>
    public static void AssertClose(float[] expected, float[] actual, double ulps, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        double bound = ulps * UlpOfMax(expected);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs((double)actual[i] - expected[i]);
            if (!(err <= bound))
                Xunit.Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}, |Δ| = {err:G3} > {bound:G3} ({ulps} ulp of max).");
        }
    }
}
