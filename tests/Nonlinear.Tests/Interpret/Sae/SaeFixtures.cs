using System.Numerics;
using Nonlinear.Interpret.Sae;
using Nonlinear.Tensors;

namespace Nonlinear.Tests.Interpret.Sae;

/// <summary>Small random SAEs and batches, in float or double, shared by the SAE tests.</summary>
internal static class SaeFixtures
{
    public const int N = 7, DIn = 5, DSae = 12, K = 3;

    public static SaeConfig Config(string arch, bool transcoder = false) =>
        new(SaeArchitecture.Parse(arch), DIn, DSae, transcoder ? 4 : DIn, K, ApplyBDecToInput: !transcoder)
        {
            IsTranscoder = transcoder,
            SparsityCoefficient = 0.3,
            AuxKCoefficient = 0.5,
            KAux = 2,
            Bandwidth = 0.05,
            MatryoshkaWidths = arch == "matryoshka" ? [2, 5, DSae] : [],
        };

    /// <summary>Random parameters: entries N(0, 0.5²), thresholds θ = 0.2…0.4 (JumpReLU), r_mag N(0, 0.3²).</summary>
    public static SaeParams<T> Params<T>(SaeConfig cfg, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = new SaeParams<T>(cfg);
        var rng = new Rng(seed);
        foreach (var name in p.Names)
        {
            var a = p[name];
            for (int i = 0; i < a.Length; i++)
            {
                double v = name switch
                {
                    "log_threshold" => Math.Log(0.2 + 0.2 * rng.NextDouble()),
                    "r_mag" => 0.3 * rng.NextGaussian(),
                    _ => 0.5 * rng.NextGaussian(),
                };
                a[i] = T.CreateTruncating((float)v);
            }
        }
        return p;
    }

    public static T[] Batch<T>(int n, int d, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng(seed);
        var a = new T[n * d];
        for (int i = 0; i < a.Length; i++) a[i] = T.CreateTruncating((float)rng.NextGaussian());
        return a;
    }

    /// <summary>A step over a fixed batch; for a transcoder, targets of width 4.</summary>
    public static SaeStep<T> Step<T>(SaeConfig cfg, SaeParams<T> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = new SaeStep<T>(cfg, p);
        s.SetBatch(Batch<T>(N, cfg.DIn, 11), cfg.IsTranscoder ? Batch<T>(N, cfg.DOut, 12) : default, N);
        return s;
    }
}
