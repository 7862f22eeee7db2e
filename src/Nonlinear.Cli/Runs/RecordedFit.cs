using System.CommandLine;
using Nonlinear.Cli.Commands;
using Nonlinear.Kan.Interpret;
using Nonlinear.Layers;
using Nonlinear.Optim;
using Nonlinear.Training.Pinn;

namespace Nonlinear.Cli.Runs;

/// <summary>
/// What a `fit` run records, kept here so the fit modes (KAN, MLP, --pde, --image) each add one line: per stage or
/// logged step the metrics they print, and at the end the final RMSE, error or PSNR with the parameter count.
/// </summary>
internal static class RecordedFit
{
    /// <summary>
    /// The default store's place: beside --plot, or in the --image --out folder (like compare's results folder); a fit
    /// that writes neither records only in an explicit --store or NONLINEAR_STORE, as train without --save does.
    /// </summary>
    public static string? OutputNextTo(ParseResult pr) =>
        pr.GetValue<string?>("--plot") ?? (pr.GetValue<string?>("--out") is string dir ? Path.Combine(dir, "history.csv") : null);

    /// <summary>A KAN fit: one step per stage (fit, prune, refine, grid extensions) with its RMSEs; the final ones are the last stage's.</summary>
    public static void Kan(CommandRun? run, KanFitResult result)
    {
        if (run is null) return;
        for (int i = 0; i < result.Stages.Count; i++)
        {
            var st = result.Stages[i];
            run.Step(i + 1, new Dictionary<string, double>
            {
                ["grid"] = st.Grid, ["parameters"] = st.Parameters, ["train_rmse"] = st.TrainRmse, ["test_rmse"] = st.TestRmse, ["seconds"] = st.Seconds,
            });
        }
        run.Final(new Dictionary<string, double> { ["stages"] = result.Stages.Count, ["recovered"] = result.Recovered ? 1 : 0 });
    }

    /// <summary>An MLP fit (the comparison baseline): the chosen model's RMSEs, as printed.</summary>
    public static void Mlp(CommandRun? run, Module model, FitData d) =>
        run?.Final(new Dictionary<string, double>
        {
            ["parameters"] = model.ParameterCount, ["train_rmse"] = FullBatch.Rmse(model, d.XTrain, d.YTrain), ["test_rmse"] = FullBatch.Rmse(model, d.XTest, d.YTest),
        });

    /// <summary>A --pde step, recorded on the steps the command prints (ten per run).</summary>
    public static void PdeStep(CommandRun? run, PinnStep s, int every, int steps)
    {
        if (run is null || ((s.Step + 1) % every != 0 && s.Step + 1 != steps)) return;
        run.Step(s.Step + 1, new Dictionary<string, double> { ["loss"] = s.Loss, ["residual"] = s.Residual, ["boundary"] = s.Boundary });
    }

    /// <summary>An --image step with PSNR (and SSIM when the image is large enough to have one).</summary>
    public static Dictionary<string, double> ImageStep(double loss, double psnr, double? ssim, double seconds)
    {
        var m = new Dictionary<string, double> { ["loss"] = loss, ["psnr_db"] = psnr, ["seconds"] = seconds };
        if (ssim is double v) m["ssim"] = v;
        return m;
    }
}
