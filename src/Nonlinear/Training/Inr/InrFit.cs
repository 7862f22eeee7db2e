using System.Diagnostics;
using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Training.Inr;

/// <summary>What the network is trained to match.</summary>
public enum InrSupervision
{
    /// <summary>The pixel values: mean((f − 2p + 1)²).</summary>
    Values,
    /// <summary>The image's Sobel gradient (<see cref="ImageGradients.Sobel"/>) by the network's spatial gradient ∇f (SIREN's Poisson reconstruction).</summary>
    Gradient,
    /// <summary>The image's Laplacian by the network's Δf.</summary>
    Laplacian,
}

/// <summary>Settings of <see cref="InrFit.Run"/>.</summary>
/// <param name="Steps">Adam updates.</param>
/// <param name="Batch">Pixels per update, drawn without replacement epoch by epoch; 0 = every pixel (full batch).</param>
/// <param name="LearningRate">Adam's lr (SIREN's 1e-4 by default).</param>
/// <param name="Seed">Seed of the mini-batch order.</param>
/// <param name="Supervision">Values, gradient or Laplacian.</param>
/// <param name="LogEvery">PSNR/SSIM of the whole image every this many steps (and after the last).</param>
public sealed record InrOptions(int Steps = 2000, int Batch = 0, double LearningRate = 1e-4, ulong Seed = 0,
    InrSupervision Supervision = InrSupervision.Values, int LogEvery = 100);

/// <summary>The state after one update; PSNR and SSIM (dB, [−1, 1]) only on logged steps.</summary>
/// <param name="Step">1-based step.</param>
/// <param name="Loss">The batch loss of this update.</param>
/// <param name="Psnr">PSNR of the whole reconstruction on logged steps.</param>
/// <param name="Ssim">SSIM of the whole reconstruction on logged steps.</param>
/// <param name="Seconds">Training time so far (evaluations excluded).</param>
public sealed record InrStep(int Step, double Loss, double? Psnr, double? Ssim, double Seconds);

/// <summary>The fitted image.</summary>
/// <param name="Reconstruction">The network's image in [0, 1] (clamped), like <see cref="ImageTarget.Pixels"/>; under gradient or Laplacian supervision its mean is shifted to the target's per channel (the constant is unobservable).</param>
/// <param name="Psnr">PSNR against the target.</param>
/// <param name="Ssim">SSIM against the target.</param>
/// <param name="History">Every step.</param>
/// <param name="Seconds">Training time (evaluations excluded).</param>
public sealed record InrResult(float[] Reconstruction, double Psnr, double Ssim, IReadOnlyList<InrStep> History, double Seconds);

/// <summary>
/// Fits a coordinate network f: (r, c) → 2p − 1 to an image with Adam (Sitzmann et al. 2020; Tancik et al. 2020), by
/// its values or, through createGraph autodiff, by its gradient or Laplacian (SIREN's Poisson image reconstruction).
/// </summary>
public static class InrFit
{
    private const int EvalChunk = 16384;

    /// <summary>Trains <paramref name="model"/> ([n, 2] → [n, C], rows independent) on <paramref name="image"/>.</summary>
    /// <exception cref="ArgumentException">Options out of range.</exception>
    public static InrResult Run(Module model, ImageTarget image, InrOptions options, Action<InrStep>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Steps < 0 || options.Batch < 0 || options.LogEvery < 1 || !(options.LearningRate > 0))
            throw new ArgumentException($"InrOptions need Steps ≥ 0, Batch ≥ 0, LogEvery ≥ 1 and LearningRate > 0; got {options}.", nameof(options));
        if (options.Supervision != InrSupervision.Values) RequireDerivatives(model, options.Supervision);
        int n = image.PixelCount, c = image.Channels;
        int batch = options.Batch == 0 || options.Batch >= n ? n : options.Batch;
        float[] coords = image.Coordinates();
        float[] targets = options.Supervision switch
        {
            InrSupervision.Gradient => ImageGradients.Sobel(image.Targets(), image.Height, image.Width, c, image.Spacing),
            InrSupervision.Laplacian => ImageGradients.Laplacian(image.Targets(), image.Height, image.Width, c, image.Spacing),
            _ => image.Targets(),
        };
        int perPixel = targets.Length / n;
        var opt = new Adam(model.Parameters(), options.LearningRate);
        var order = Enumerable.Range(0, n).ToArray();
        var rng = new Rng(options.Seed);
        int cursor = n;
        var history = new List<InrStep>();
        var clock = new Stopwatch();
        var xb = new float[batch * 2];
        var tb = new float[batch * perPixel];
        for (int step = 1; step <= options.Steps; step++)
        {
            clock.Start();
            if (batch == n) { coords.CopyTo(xb, 0); targets.CopyTo(tb, 0); }
            else
            {
                for (int k = 0; k < batch; k++)
                {
                    if (cursor == n) { rng.Shuffle(order.AsSpan()); cursor = 0; }
                    int p = order[cursor++];
                    xb[2 * k] = coords[2 * p];
                    xb[2 * k + 1] = coords[2 * p + 1];
                    Array.Copy(targets, p * perPixel, tb, k * perPixel, perPixel);
                }
            }
            model.ZeroGrad();
            var loss = Loss(model, Tensor.FromArray((float[])xb.Clone(), batch, 2), Tensor.FromArray((float[])tb.Clone(), batch, perPixel), c, options.Supervision);
            loss.Backward();
            opt.Step();
            double lv = loss.Item();
            clock.Stop();
            double? psnr = null, ssim = null;
            if (step % options.LogEvery == 0 || step == options.Steps)
            {
                var rec = Reconstruct(model, image, options.Supervision);
                psnr = ImageMetrics.Psnr(rec, image.Pixels);
                ssim = image.Height >= 11 && image.Width >= 11 ? ImageMetrics.Ssim(rec, image.Pixels, image.Height, image.Width, c) : null;
            }
            var s = new InrStep(step, lv, psnr, ssim, clock.Elapsed.TotalSeconds);
            history.Add(s);
            onStep?.Invoke(s);
        }
        var final = Reconstruct(model, image, options.Supervision);
        double fs = image.Height >= 11 && image.Width >= 11 ? ImageMetrics.Ssim(final, image.Pixels, image.Height, image.Width, c) : double.NaN;
        return new InrResult(final, ImageMetrics.Psnr(final, image.Pixels), fs, history, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Refuses, before any training, a network whose activations cannot be differentiated as often as the supervision
    /// needs: the gradient loss differentiated by the weights needs f″, the Laplacian's f‴ (a composed derivative).
    /// </summary>
    /// <exception cref="InvalidInputException">An activation that lacks the derivative; the message names it.</exception>
    public static void RequireDerivatives(Module model, InrSupervision supervision)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var (name, m) in model.NamedModules())
        {
            // KAN layers differentiate to any order through one basis space, not through S-KAN mixtures (KanLayer.HigherOrder.cs).
            if (m is Kan.KanLayer k && k.Spaces.Count != 1)
                throw new InvalidInputException($"--supervise {supervision.ToString().ToLowerInvariant()}: KAN layer '{name}' mixes [{string.Join(", ", k.Spaces.Select(s => s.Name))}]; " +
                    "derivative supervision differentiates KANs with one basis (kan:, kan-rbf:, kan-fourier:, kan-chebyshev:).", "supervise");
            var a = m switch { ActivationLayer l => l.Activation, Layers.Inr.ScaledActivation s => s.Activation, _ => null };
            if (a is null) continue;
            bool ok = supervision == InrSupervision.Laplacian ? a.HasComposedDerivative : a.HasComposedDerivative || a.SecondDerivativeKernel is not null;
            if (!ok)
                throw new InvalidInputException($"--supervise {supervision.ToString().ToLowerInvariant()}: activation '{a}' (module '{name}') does not declare " +
                    (supervision == InrSupervision.Laplacian ? "derivatives beyond the second, which a Laplacian loss needs" : "its second derivative, which a gradient loss needs") +
                    "; use siren:, finer: or gauss:.", "supervise");
        }
    }

    /// <summary>
    /// The batch loss: mean squared error of the values, of ∇f against the target gradient [b, C·2] (C-major), or of Δf
    /// against the target Laplacian [b, C]. Derivatives by createGraph autodiff, so the loss differentiates to the weights.
    /// </summary>
    public static Tensor Loss(Module model, Tensor points, Tensor targets, int channels, InrSupervision supervision)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(targets);
        if (supervision == InrSupervision.Values)
        {
            var d = Ops.Sub(model.Call(points), targets);
            return Ops.Mean(Ops.Mul(d, d));
        }
        var x = points.RequireGrad();
        var y = model.Call(x);
        int b = points.Size(0);
        var ones = Tensor.Full(1f, b);
        var parts = new List<Tensor>(channels);
        for (int ch = 0; ch < channels; ch++)
        {
            // Rows are independent, so the gradient of Σ_rows f_ch is ∇f_ch row by row.
            var g = Autograd.Grad([Ops.Select(y, 1, ch)], [x], [ones], createGraph: true)[0];
            if (supervision == InrSupervision.Gradient) { parts.Add(g); continue; }
            var grr = Autograd.Grad([Ops.Select(g, 1, 0)], [x], [ones], createGraph: true)[0];
            var gcc = Autograd.Grad([Ops.Select(g, 1, 1)], [x], [ones], createGraph: true)[0];
            parts.Add(Ops.Reshape(Ops.Add(Ops.Select(grr, 1, 0), Ops.Select(gcc, 1, 1)), b, 1));
        }
        var pred = parts.Count == 1 ? parts[0] : Ops.Concat(parts, 1);
        var e = Ops.Sub(pred, targets);
        return Ops.Mean(Ops.Mul(e, e));
    }

    /// <summary>
    /// The network's image in [0, 1] (clamped), evaluated without recording in chunks; for derivative supervision the
    /// mean of each channel is first moved to the target's (the constant of integration is not observable).
    /// </summary>
    public static float[] Reconstruct(Module model, ImageTarget image, InrSupervision supervision = InrSupervision.Values)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(image);
        int n = image.PixelCount, c = image.Channels;
        var coords = image.Coordinates();
        var v = new float[n * c];
        using (Autograd.NoGrad())
            for (int start = 0; start < n; start += EvalChunk)
            {
                int len = Math.Min(EvalChunk, n - start);
                var chunk = Tensor.FromArray(coords.AsSpan(2 * start, 2 * len).ToArray(), len, 2);
                model.Call(chunk).ToArray().CopyTo(v, start * c);
            }
        var p = new float[n * c];
        for (int ch = 0; ch < c; ch++)
        {
            double shift = 0;
            if (supervision != InrSupervision.Values)
            {
                double sp = 0, st = 0;
                for (int k = 0; k < n; k++) { sp += (v[k * c + ch] + 1) / 2.0; st += image.Pixels[k * c + ch]; }
                shift = (st - sp) / n;
            }
            for (int k = 0; k < n; k++) p[k * c + ch] = (float)Math.Clamp((v[k * c + ch] + 1) / 2.0 + shift, 0, 1);
        }
        return p;
    }
}
