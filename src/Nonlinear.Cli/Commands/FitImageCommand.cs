using System.CommandLine;
using System.Globalization;
using System.Text;
using Nonlinear.Cli.Plotting;
using Nonlinear.IO;
using Nonlinear.Layers;
using Nonlinear.Layers.Inr;
using Nonlinear.Models;
using Nonlinear.Tensors;
using Nonlinear.Training.Inr;
using Spectre.Console;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// `nonlinear fit --image FILE`: an implicit neural representation (<see cref="InrFit"/>) of an image — (r, c) ∈ [−1, 1]²
/// → pixel values mapped to [−1, 1] — by a coordinate network (siren:, spder:, finer:, gauss:, gabor:, mlp: with an
/// --encoding, or a KAN), supervised by the values, the gradient or the Laplacian. The fit command hands over to
/// <see cref="Run"/> when --image is given; the shared options (--model, --steps, --seed, --threads) stay in FitCommand.
/// </summary>
internal sealed class FitImageCommand
{
    private const string DefaultModel = "siren:256x3";
    private const int DefaultSteps = 2000;

    private readonly Option<string?> _image = new("--image") { Description = "Fit an image instead of data: a PNG/JPEG file or a scikit-image sample name (camera, astronaut, coins, …; camera is bundled at 64×64 when scikit-image is absent). Default --model siren:256x3, --steps 2000." };
    private readonly Option<string> _supervise = new("--supervise") { Description = "With --image: values, gradient (Sobel; SIREN's Poisson reconstruction) or laplacian.", DefaultValueFactory = _ => "values" };
    private readonly Option<string> _batch = new("--batch") { Description = "With --image: pixels per step, or full.", DefaultValueFactory = _ => "full" };
    private readonly Option<double> _lr = new("--lr") { Description = "With --image: Adam learning rate.", DefaultValueFactory = _ => 1e-4 };
    private readonly Option<int> _size = new("--size") { Description = "With --image: area-average the longer side down to this many pixels (never enlarged).", DefaultValueFactory = _ => 256 };
    private readonly Option<string?> _out = new("--out") { Description = "With --image: folder for target.png, reconstruction.png, error.png and history.csv." };
    private readonly Option<string> _encoding = new("--encoding") { Description = "With --image: none, pe(L) (NeRF positional encoding) or fourier(σ,m) (Gaussian Fourier features), before the network.", DefaultValueFactory = _ => "none" };
    private readonly Option<int> _logEvery = new("--log-every") { Description = "With --image: PSNR and SSIM every this many steps.", DefaultValueFactory = _ => 100 };

    /// <summary>Adds the image options to the fit command.</summary>
    public static FitImageCommand AddTo(Command fit)
    {
        var c = new FitImageCommand();
        foreach (var o in new Option[] { c._image, c._supervise, c._batch, c._lr, c._size, c._out, c._encoding, c._logEvery }) fit.Options.Add(o);
        return c;
    }

    /// <summary>True when --image was given.</summary>
    public bool Selected(ParseResult pr) => pr.GetValue(_image) is not null;

    /// <summary>Parses the options, fits, prints PSNR/SSIM per logged step and writes the PNGs. Returns the exit code.</summary>
    /// <param name="pr">The parse result.</param>
    /// <param name="model">--model when given explicitly (else siren:256x3).</param>
    /// <param name="steps">--steps when given explicitly (else 2000).</param>
    /// <param name="seed">--seed.</param>
    /// <param name="hasData">Whether --formula, --csv or --pde was given too.</param>
    public int Run(ParseResult pr, string? model, int? steps, int seed, bool hasData)
    {
        if (hasData) throw new InvalidInputException("--image fits an image: leave out --formula, --csv and --pde.", "image");
        var spec = ModelSpec.Parse(model ?? DefaultModel);
        var supervision = pr.GetValue(_supervise)!.Trim().ToLowerInvariant() switch
        {
            "values" => InrSupervision.Values,
            "gradient" => InrSupervision.Gradient,
            "laplacian" => InrSupervision.Laplacian,
            var other => throw new InvalidInputException($"--supervise must be values, gradient or laplacian; got '{other}'.", "supervise"),
        };
        int st = steps ?? DefaultSteps;
        if (st < 0 || st > 1_000_000) throw new InvalidInputException($"--steps must be in [0, 1000000]; got {st}.", "steps");
        string batchText = pr.GetValue(_batch)!.Trim();
        int batch = batchText.Equals("full", StringComparison.OrdinalIgnoreCase) ? 0
            : int.TryParse(batchText, NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b >= 1 ? b
            : throw new InvalidInputException($"--batch must be full or a pixel count ≥ 1; got '{batchText}'.", "batch");
        double lr = pr.GetValue(_lr);
        if (!(lr > 0 && lr <= 10)) throw new InvalidInputException($"--lr must be in (0, 10]; got {lr}.", "lr");
        int size = pr.GetValue(_size);
        if (size < 2 || size > 8192) throw new InvalidInputException($"--size must be in [2, 8192]; got {size}.", "size");
        int every = pr.GetValue(_logEvery);
        if (every < 1) throw new InvalidInputException($"--log-every must be ≥ 1; got {every}.", "log-every");
        var encoding = CoordinateEncoding.Parse(pr.GetValue(_encoding)!);
        string? outDir = pr.GetValue(_out);
        if (outDir is not null)
        {
            if (File.Exists(outDir)) throw new InvalidInputException($"--out '{outDir}' is a file; expected a folder.", "out");
            Directory.CreateDirectory(outDir);
            CliPaths.RequireOutputFile("--out", Path.Combine(outDir, "reconstruction.png"), ".png");
        }

        var (path, note) = FitImageFile.Resolve(pr.GetValue(_image)!);
        var image = FitImageFile.Load(path, size);
        var rng = new Rng((ulong)seed);
        var encoder = encoding.Build(2, rng);
        var net = spec.Build(encoding.OutputFeatures(2), image.Channels, rng);
        Module full = encoder is null ? net : new Sequential(encoder, net);
        var options = new InrOptions(st, batch, lr, (ulong)seed + 1, supervision, every);
        Console.WriteLine($"fit --image {path}{(note.Length > 0 ? " (" + note + ")" : "")}: {image.Height}×{image.Width}, {(image.Channels == 1 ? "gray" : "RGB")}, values mapped to [−1, 1]; metrics on [0, 1]");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model {spec}{(encoder is null ? "" : " after " + encoding)}: {full.ParameterCount} parameters; {st} Adam steps (lr {lr}), batch {(batch == 0 || batch >= image.PixelCount ? "full (" + image.PixelCount + " pixels)" : batch.ToString(CultureInfo.InvariantCulture))}, supervised by {supervision.ToString().ToLowerInvariant()}"));
        var csv = new StringBuilder("step,loss,psnr_db,ssim,seconds\n");
        Runs.CommandRun.Current?.Begin(new Dictionary<string, string> { ["data"] = path, ["model"] = spec.ToString(), ["activation"] = spec.Activation?.ToString() ?? "" });
        var result = ProgressView.RunSteps($"fit {spec}", st, report => InrFit.Run(full, image, options, s =>
        {
            report(s.Step);
            if (s.Psnr is not double psnr) return;
            Runs.CommandRun.Current?.Step(s.Step, Runs.RecordedFit.ImageStep(s.Loss, psnr, s.Ssim, s.Seconds));
            string ssim = s.Ssim is double v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";
            csv.Append(CultureInfo.InvariantCulture, $"{s.Step},{s.Loss:R},{psnr:R},{(s.Ssim is double q ? q.ToString("R", CultureInfo.InvariantCulture) : "")},{s.Seconds:R}\n");
            Line(string.Create(CultureInfo.InvariantCulture, $"  step {s.Step,6}: loss {s.Loss:E3}  PSNR {psnr,6:0.00} dB  SSIM {ssim}  {s.Seconds,7:0.0} s"));
        }));
        Runs.CommandRun.Current?.Final(new Dictionary<string, double> { ["psnr_db"] = result.Psnr, ["ssim"] = result.Ssim, ["parameters"] = full.ParameterCount });
        if (!double.IsFinite(result.History.LastOrDefault()?.Loss ?? 0))
            throw new InvalidInputException($"--image: the fit diverged (loss {result.History[^1].Loss}); try a smaller --lr.", "lr");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PSNR {result.Psnr:0.00} dB, SSIM {(double.IsNaN(result.Ssim) ? "n/a (image under 11×11)" : result.Ssim.ToString("0.0000", CultureInfo.InvariantCulture))}{(supervision == InrSupervision.Values ? "" : " (mean matched: the constant is not observable from derivatives)")}; {result.Seconds:0.0} s training"));
        if (outDir is not null)
        {
            FitImageFile.WritePng(Path.Combine(outDir, "target.png"), image.Pixels, image.Height, image.Width, image.Channels);
            FitImageFile.WritePng(Path.Combine(outDir, "reconstruction.png"), result.Reconstruction, image.Height, image.Width, image.Channels);
            var err = new double[image.Width, image.Height];
            for (int i = 0; i < image.Height; i++)
                for (int j = 0; j < image.Width; j++)
                {
                    double e = 0;
                    for (int ch = 0; ch < image.Channels; ch++) e += Math.Abs(result.Reconstruction[(i * image.Width + j) * image.Channels + ch] - image.Pixels[(i * image.Width + j) * image.Channels + ch]);
                    err[j, image.Height - 1 - i] = e / image.Channels;
                }
            FieldPlot.Write(Path.Combine(outDir, "error.png"), err, (0, image.Width, 0, image.Height),
                string.Create(CultureInfo.InvariantCulture, $"|reconstruction − target| (PSNR {result.Psnr:0.00} dB)"), "column", "row (from the bottom)");
            AtomicFile.WriteAllText(Path.Combine(outDir, "history.csv"), csv.ToString());
            Console.WriteLine($"target.png, reconstruction.png, error.png and history.csv written to {outDir}");
        }
        return 0;
    }

    private static void Line(string text)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive) Console.WriteLine(text);
        else AnsiConsole.WriteLine(text);
    }
}
