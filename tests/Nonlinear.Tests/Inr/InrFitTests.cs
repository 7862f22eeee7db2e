using Nonlinear.Cli.Commands;
using Nonlinear.Layers;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training.Inr;
using Xunit;

namespace Nonlinear.Tests.Inr;

/// <summary>Fitting images with coordinate networks: the losses' layout and gradients, the refusals, and a short SIREN fit.</summary>
public class InrFitTests
{
    private static ImageTarget Camera(int size) => FitImageFile.Load(Path.Combine(FindRepo(), "data", "images", "camera-64.png"), size);

    private static string FindRepo()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "data", "images", "camera-64.png"))) return d.FullName;
        throw new FileNotFoundException("data/images/camera-64.png not found above the test binaries.");
    }

    [Fact]
    public void TheBundledCameraDecodesAsGrayAndDownscalesByAreaAverage()
    {
        var img = Camera(16);
        Assert.Equal((16, 16, 1), (img.Height, img.Width, img.Channels));
        var full = FitImageFile.Load(Path.Combine(FindRepo(), "data", "images", "camera-64.png"), 64);
        // 4×4 block means of the 64×64 pixels, exactly (sums of 16 multiples of 1/255 in double, rounded once).
        for (int i = 0; i < 16; i++)
            for (int j = 0; j < 16; j++)
            {
                double s = 0;
                for (int a = 0; a < 4; a++)
                    for (int b = 0; b < 4; b++) s += full.Pixels[(4 * i + a) * 64 + 4 * j + b];
                Assert.Equal(s / 16, img.Pixels[i * 16 + j], 1e-6);
            }
    }

    [Fact]
    public void GradientLossOfALinearMapIsItsWeightsAgainstTheTargets()
    {
        // f(r, c) = 0.7r − 1.3c + 0.2 has ∇f = (0.7, −1.3) everywhere: the loss is the mean of the squared component errors.
        var lin = new Linear(2, 1, new Rng(1));
        lin.Weight.AsSpan()[0] = 0.7f;
        lin.Weight.AsSpan()[1] = -1.3f;
        var pts = Tensor.From(new float[,] { { 0.1f, 0.2f }, { -0.5f, 0.9f }, { 0.3f, -0.7f } });
        var targets = Tensor.From(new float[,] { { 1f, 0f }, { 0.5f, -1f }, { 0f, -2f } });
        double loss = InrFit.Loss(lin, pts, targets, 1, InrSupervision.Gradient).Item();
        double want = (0.3 * 0.3 + 1.3 * 1.3 + 0.2 * 0.2 + 0.3 * 0.3 + 0.7 * 0.7 + 0.7 * 0.7) / 6;
        Assert.Equal(want, loss, 6);
    }

    [Fact]
    public void LaplacianLossOfASineRidgeMatchesItsClosedForm()
    {
        // f = sin(2(w·x + b)) has Δf = −4|w|²·f.
        var lin = new Linear(2, 1, new Rng(2));
        var model = new Sequential(lin, new ActivationLayer("sine(omega=2)"));
        var (w0, w1, b) = (lin.Weight.ToArray()[0], lin.Weight.ToArray()[1], lin.Bias!.ToArray()[0]);
        var pts = new float[,] { { 0.1f, 0.2f }, { -0.5f, 0.9f }, { 0.3f, -0.7f }, { 0.8f, 0.8f } };
        var targets = Tensor.From(new float[,] { { 0.5f }, { 0f }, { -1f }, { 2f } });
        double loss = InrFit.Loss(model, Tensor.From(pts), targets, 1, InrSupervision.Laplacian).Item();
        double want = 0;
        for (int i = 0; i < 4; i++)
        {
            double f = Math.Sin(2 * (w0 * pts[i, 0] + w1 * pts[i, 1] + b));
            double e = -4 * (w0 * w0 + w1 * w1) * f - targets.ToArray()[i];
            want += e * e / 4;
        }
        Assert.True(Math.Abs(loss - want) <= 1e-5 * (1 + want), $"Laplacian loss {loss:R}; closed form {want:R}");
    }

    [Fact]
    public void GradientSupervisionDifferentiatesToTheWeights()
    {
        // The weight gradient of the gradient loss (a second derivative of the network) against central differences of
        // the loss. The loss is float32 of order 1: rounding in a difference is ≈ 6e-8/h = 6e-6 with h = 1e-2 and the
        // truncation h²/6·|L‴| ≈ 2e-5 for this smooth ω₀ = 2 network, so 2e-4·(1 + |g|) separates them from a wrong rule (O(|g|)).
        var net = ModelSpec.Parse("siren:6x2,omega=2").Build(2, 1, new Rng(9));
        var rng = new Rng(10);
        var pts = new float[8 * 2];
        var tg = new float[8 * 2];
        for (int i = 0; i < pts.Length; i++) { pts[i] = (float)(2 * rng.NextDouble() - 1); tg[i] = (float)(rng.NextDouble() - 0.5); }
        float Loss() => InrFit.Loss(net, Tensor.FromArray((float[])pts.Clone(), 8, 2), Tensor.FromArray((float[])tg.Clone(), 8, 2), 1, InrSupervision.Gradient).Item();
        net.ZeroGrad();
        InrFit.Loss(net, Tensor.FromArray((float[])pts.Clone(), 8, 2), Tensor.FromArray((float[])tg.Clone(), 8, 2), 1, InrSupervision.Gradient).Backward();
        int checkedCount = 0;
        foreach (var p in net.NamedParameters())
        {
            // ∇ₓf does not depend on the output layer's bias: the only parameter without a gradient.
            if (p.Tensor.Grad is null) { Assert.Equal("4.bias", p.Name); continue; }
            var g = p.Tensor.Grad.ToArray();
            for (int k = 0; k < p.Tensor.Length; k += 3)
            {
                const float h = 1e-2f;
                float v = p.Tensor.ToArray()[k];
                p.Tensor.AsSpan()[k] = v + h;
                double up = Loss();
                p.Tensor.AsSpan()[k] = v - h;
                double down = Loss();
                p.Tensor.AsSpan()[k] = v;
                double fd = (up - down) / (2 * h);
                Assert.True(Math.Abs(g[k] - fd) <= 2e-4 * (1 + Math.Abs(fd)), $"{p.Name}[{k}]: autodiff {g[k]:R}, differences {fd:R}");
                checkedCount++;
            }
        }
        Assert.True(checkedCount > 20);
    }

    [Fact]
    public void SupervisionByDerivativesRefusesActivationsWithoutThem()
    {
        // Gabor declares f″ (a double reference) but no composed f′, so a gradient loss works and a Laplacian loss
        // (which needs f‴) is refused, naming it; siren's sine has derivatives of every order.
        var gabor = ModelSpec.Parse("gabor:4x1").Build(2, 1, new Rng(1));
        InrFit.RequireDerivatives(gabor, InrSupervision.Gradient);
        var e = Assert.Throws<InvalidInputException>(() => InrFit.RequireDerivatives(gabor, InrSupervision.Laplacian));
        Assert.Contains("gabor", e.Message);
        Assert.Contains("--supervise laplacian", e.Message);
        var spder = ModelSpec.Parse("spder:4x1").Build(2, 1, new Rng(1));
        InrFit.RequireDerivatives(spder, InrSupervision.Gradient);
        Assert.Throws<InvalidInputException>(() => InrFit.RequireDerivatives(spder, InrSupervision.Laplacian));
        InrFit.RequireDerivatives(ModelSpec.Parse("siren:4x1").Build(2, 1, new Rng(1)), InrSupervision.Laplacian);
        // Every single-basis KAN differentiates to any order; an S-KAN mixture is refused.
        InrFit.RequireDerivatives(ModelSpec.Parse("kan-fourier:4").Build(2, 1, new Rng(1)), InrSupervision.Laplacian);
        InrFit.RequireDerivatives(ModelSpec.Parse("kan:4").Build(2, 1, new Rng(1)), InrSupervision.Gradient);
        var skan = Assert.Throws<InvalidInputException>(() => InrFit.RequireDerivatives(ModelSpec.Parse("skan:4").Build(2, 1, new Rng(1)), InrSupervision.Gradient));
        Assert.Contains("mixes", skan.Message);
    }

    [Fact]
    public void ShortSirenFitMemorisesTheSmallCameraWhereAReluMlpCannot()
    {
        // 32×32 camera, 300 full-batch Adam steps at lr 1e-3, seed 0. Measured: siren:64x2 141.9 dB (float32's floor: the
        // image is memorised), the ReLU mlp:64x2 of the same size 19.9 dB (spectral bias, Rahaman et al. 2019; Tancik et al. 2020).
        var img = Camera(32);
        var siren = InrFit.Run(ModelSpec.Parse("siren:64x2").Build(2, 1, new Rng(0)), img, new InrOptions(Steps: 300, LearningRate: 1e-3, LogEvery: 100));
        Assert.True(siren.Psnr >= 100, $"siren PSNR {siren.Psnr:0.00} dB after 300 steps; measured 141.9, expected ≥ 100");
        Assert.True(siren.Ssim >= 0.9999, $"siren SSIM {siren.Ssim:R}");
        Assert.Equal(3, siren.History.Count(s => s.Psnr is not null));
        Assert.True(siren.History[99].Psnr < siren.History[299].Psnr);
        var relu = InrFit.Run(ModelSpec.Parse("mlp:64x2").Build(2, 1, new Rng(0)), img, new InrOptions(Steps: 300, LearningRate: 1e-3, LogEvery: 300));
        Assert.True(relu.Psnr is > 15 and < 25, $"relu mlp PSNR {relu.Psnr:0.00} dB; measured 19.9");
    }
}
