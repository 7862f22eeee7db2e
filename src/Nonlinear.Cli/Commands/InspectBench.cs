using System.Diagnostics;
using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Interpret.Capture;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `inspect --bench-capture N`: the cost of capture on a forward pass. Alternates N plain passes over the split
/// (eval mode, NoGrad, same batches) with N capturing passes (hooks on the chosen layers, the activations copied out
/// and handed to a sink that drops them), so machine load hits both alike; prints both medians and the overhead.
/// </summary>
internal static class InspectBench
{
    public static int Run(InspectTarget target, Dataset data, int batch, int repeats)
    {
        var model = target.Model;
        var plain = new List<double>();
        var captured = new List<double>();
        long sink = 0;
        for (int r = 0; r <= repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            model.Eval();
            using (Autograd.NoGrad())
                foreach (var b in new DataLoader(data, batch, shuffle: false).Epoch(0)) model.Call(b.Features);
            double tPlain = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            ActivationCapture.Run(model, data, target.Layers, new CaptureOptions(batch), cb => sink += cb.Layers.Sum(l => l.Values.Length));
            double tCapture = sw.Elapsed.TotalMilliseconds;
            if (r == 0) continue; // warm-up (JIT, pools)
            plain.Add(tPlain);
            captured.Add(tCapture);
        }
        double mp = Median(plain), mc = Median(captured);
        Console.WriteLine($"{target.Description}: {data.Count} inputs, batch {batch}, layers {string.Join(",", target.Layers)}, {repeats} interleaved repeats ({sink} values captured)");
        Console.WriteLine($"forward only:       median {mp,9:0.00} ms  (min {plain.Min():0.00})");
        Console.WriteLine($"forward + capture:  median {mc,9:0.00} ms  (min {captured.Min():0.00})");
        Console.WriteLine($"capture overhead:   {(mc / mp - 1) * 100:+0.0;-0.0} % (median), {(captured.Min() / plain.Min() - 1) * 100:+0.0;-0.0} % (min)");
        return 0;
    }

    private static double Median(List<double> v)
    {
        var s = v.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
