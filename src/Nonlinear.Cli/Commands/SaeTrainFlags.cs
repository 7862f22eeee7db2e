using System.CommandLine;
using Nonlinear.Interpret.Sae;

namespace Nonlinear.Cli.Commands;

/// <summary>
/// The `sae train` flags that map onto <see cref="SaeTrainOptions"/>. Every default is read from
/// <see cref="SaeTrainOptions.Defaults"/>, so the command and the library train the same SAE when no flag is given
/// (a test parses a bare command line and compares the record).
/// </summary>
internal sealed class SaeTrainFlags
{
    private static readonly SaeTrainOptions D = SaeTrainOptions.Defaults;

    public Option<string> Arch { get; } = new("--arch") { Description = $"Architecture: {string.Join(", ", SaeArchitecture.All.Select(a => a.Name))}.", DefaultValueFactory = _ => D.Architecture.Name };
    public Option<int> K { get; } = new("--k") { Description = "Active latents per sample (topk, batchtopk, matryoshka).", DefaultValueFactory = _ => D.K };
    public Option<int> Expansion { get; } = new("--expansion") { Description = "d_sae = expansion × d_in.", DefaultValueFactory = _ => D.Expansion };
    public Option<int> Steps { get; } = new("--steps") { Description = "Training steps (batches).", DefaultValueFactory = _ => D.Steps };
    public Option<int> Batch { get; } = new("--batch") { Description = "Samples per step.", DefaultValueFactory = _ => D.BatchSize };
    public Option<double> Lr { get; } = new("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => D.LearningRate };
    public Option<double?> Sparsity { get; } = new("--l1") { Description = "Sparsity coefficient λ (L1 for standard/gated, L0 for jumprelu); default 5 (standard, gated) or 1 (jumprelu)." };
    public Option<double> AuxK { get; } = new("--aux-k-coef") { Description = "AuxK coefficient α for topk/batchtopk (0 turns AuxK off).", DefaultValueFactory = _ => D.AuxKCoefficient };
    public Option<int?> KAux { get; } = new("--k-aux") { Description = "AuxK's k (default d_in / 2)." };
    public Option<int> DeadWindow { get; } = new("--dead-window") { Description = "Training inputs without firing after which a latent counts as dead (AuxK, resampling).", DefaultValueFactory = _ => D.DeadWindowInputs };
    public Option<int> Resample { get; } = new("--resample-every") { Description = "Resample dead latents every N steps (0 = never).", DefaultValueFactory = _ => D.ResampleEvery };
    public Option<string> BDec { get; } = new("--b-dec-init") { Description = "Decoder bias init: geometric-median, mean or zeros.", DefaultValueFactory = _ => Name(D.BDecInit) };
    public Option<bool> NoNormalize { get; } = new("--no-normalize") { Description = "Do not scale inputs to mean norm √d_in." + (D.NormalizeActivations ? "" : " (already the default)") };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed.", DefaultValueFactory = _ => D.Seed };

    /// <summary>Adds every flag to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Arch, K, Expansion, Steps, Batch, Lr, Sparsity, AuxK, KAux, DeadWindow, Resample, BDec, NoNormalize, Seed })
            command.Options.Add(o);
    }

    /// <summary>The options a parsed command line asks for (validated).</summary>
    /// <exception cref="InvalidInputException">A flag's value is out of range or unknown.</exception>
    public SaeTrainOptions Bind(ParseResult pr)
    {
        var options = D with
        {
            Architecture = UserError.AtBoundary("--arch", () => SaeArchitecture.Parse(pr.GetValue(Arch)!)),
            K = pr.GetValue(K), Expansion = pr.GetValue(Expansion), Steps = pr.GetValue(Steps), BatchSize = pr.GetValue(Batch),
            LearningRate = pr.GetValue(Lr), SparsityCoefficient = pr.GetValue(Sparsity), AuxKCoefficient = pr.GetValue(AuxK),
            KAux = pr.GetValue(KAux), DeadWindowInputs = pr.GetValue(DeadWindow), ResampleEvery = pr.GetValue(Resample),
            Seed = pr.GetValue(Seed), NormalizeActivations = D.NormalizeActivations && !pr.GetValue(NoNormalize),
            BDecInit = pr.GetValue(BDec) switch
            {
                "geometric-median" => BDecInit.GeometricMedian, "mean" => BDecInit.Mean, "zeros" => BDecInit.Zeros,
                var other => throw new InvalidInputException($"--b-dec-init must be geometric-median, mean or zeros; got '{other}'."),
            },
        };
        options.Validate();
        return options;
    }

    private static string Name(BDecInit init) => init switch
    {
        BDecInit.GeometricMedian => "geometric-median",
        BDecInit.Mean => "mean",
        _ => "zeros",
    };
}
