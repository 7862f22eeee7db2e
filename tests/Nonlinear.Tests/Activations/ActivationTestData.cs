using Nonlinear.Activations;
using Xunit;
using Nonlinear.Tensors;

namespace Nonlinear.Tests.Activations;

/// <summary>Inputs shared by the activation suites.</summary>
public static class ActivationTestData
{
    /// <summary>Every catalog entry, by name, for [MemberData].</summary>
    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var e in ActivationCatalog.All) d.Add(e.Info.Name);
        return d;
    }

    /// <summary>The special values every kernel must handle.</summary>
    public static readonly float[] Specials =
    [
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-40f, -1e-40f, 1e-30f, -1e-30f, 400f, -400f,
        88.72f, -88.72f, 103.9f, -103.9f, 20f, -20f, 3f, -3f, 6f, 0.5f, -0.5f, 1f, -1f, float.MaxValue, float.MinValue,
    ];

    /// <summary>Random inputs of mixed scales with the specials sprinkled in.</summary>
    public static float[] Mixed(int n, int seed)
    {
        var rng = new Rng((ulong)seed);
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.NextInt(4) switch
            {
                0 => (float)(rng.NextGaussian() * 3),
                1 => (float)(rng.NextDouble() * 60 - 30),
                2 => (float)(rng.NextGaussian() * 1e-3),
                _ => Specials[rng.NextInt(Specials.Length)],
            };
        }
        return x;
    }

    /// <summary>A dense grid on [−30, 30] plus small magnitudes, no specials.</summary>
    public static float[] Dense()
    {
        var list = new List<float>();
        for (int i = 0; i <= 60_000; i++) list.Add(-30f + i * 0.001f);
        var rng = new Rng(99);
        for (int i = 0; i < 5000; i++) list.Add((float)(rng.NextGaussian() * Math.Pow(10, -rng.NextInt(8))));
        return list.ToArray();
    }
}
