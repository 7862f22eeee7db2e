using System.Security.Cryptography;
using Nonlinear.Kan;
using Nonlinear.Kernels;
using Nonlinear.Tensors;

namespace Nonlinear.Benchmarks;

/// <summary>
/// Bit-level fingerprint of a dense KAN layer's forward and every gradient (five layer kinds, two shapes, fresh and
/// kept gradient buffers, a pruned edge): a refactoring that claims "same results" must print the same digests.
/// `dotnet bench/Nonlinear.Benchmarks/bin/Release/net10.0/Nonlinear.Benchmarks.dll kan-digest 2`.
/// </summary>
public static class KanDigest
{
    public static void Run(int threads)
    {
        Parallelism.MaxThreads = threads;
        (string, KanOptions)[] layers =
        [
            ("bspline", KanOptions.Pykan), ("rbf", KanOptions.FastKan), ("fourier", KanOptions.FourierKan),
            ("cheb", KanOptions.ChebyKan), ("skan", KanOptions.Selectable), ("skan-bias-nobase", KanOptions.Selectable with { BaseBranch = false }),
        ];
        foreach (var (name, options) in layers)
            foreach (var (fin, fout, batch) in new[] { (37, 23, 19), (256, 256, 600) })
            {
                var rng = new Rng(3);
                var layer = new KanLayer(fin, fout, options, rng);
                // Non-trivial parameters everywhere (mix logits start at zero).
                foreach (var (_, p) in layer.NamedParameters())
                {
                    var sp = p.AsSpan();
                    for (int q = 0; q < sp.Length; q++) sp[q] += (float)(0.1 * rng.NextGaussian());
                }
                layer.SetEdgeMask(1, 2, false);
                var x = Tensor.Rand(rng, [batch, fin], -1.5f, 1.5f).RequireGrad();
                var gy = Tensor.Randn(rng, [batch, fout]);
                var sb = new System.Text.StringBuilder();
                for (int step = 0; step < 2; step++)
                {
                    // step 0: no gradient buffers (fresh arrays); step 1: kept buffers holding step 0's gradients (accumulate).
                    x.Grad = null;
                    var y = layer.Forward(x);
                    y.Backward(gy);
                    sb.Append(Hash(y.ToArray())).Append(' ').Append(Hash(x.Grad!.ToArray()));
                    foreach (var (pn, p) in layer.NamedParameters()) sb.Append(' ').Append(pn).Append('=').Append(Hash(p.Grad!.ToArray()));
                    sb.Append(" | ");
                }
                Console.WriteLine($"{name} {fin}x{fout}: {sb}");
            }
    }

    private static string Hash(float[] v)
    {
        var bytes = new byte[v.Length * 4];
        Buffer.BlockCopy(v, 0, bytes, 0, bytes.Length);
        return Convert.ToHexString(SHA256.HashData(bytes))[..8];
    }
}
