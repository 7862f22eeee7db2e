using System.Globalization;
using System.Text;
using Nonlinear.Layers;
using Nonlinear.Layers.Learnable;
using Nonlinear.Losses;
using Nonlinear.Optim;
using Nonlinear.Tensors;

namespace Nonlinear.Reproductions;

/// <summary>
/// "PReLU: Yet Another Single-Layer Solution to the XOR Problem" (Pinto and Tavares, 2024): one neuron
/// y = PReLU(w₁x₁ + w₂x₂) — three learnable parameters, no bias — learns XOR on {0,1}² (a = −1 gives |w·x|).
/// Protocol as the paper's: Adam, full batch of the 4 points, MSE, 300 epochs; a trial succeeds when every output
/// rounds (threshold 0.5) to its target. Inputs in {−1, 1} (the paper's figure 1 covers both encodings) or {0, 1};
/// targets 0/1. Compared with one ReLU neuron (w₁, w₂, b; cannot represent XOR), one GCU
/// neuron z·cos z (w₁, w₂, b) and a 2-2-1 tanh MLP (9 parameters). Initialisation: torch.nn.Linear's, PReLU a = 0.25.
/// </summary>
public static class PreluXor
{
    /// <summary>Models compared.</summary>
    public static readonly string[] Models = ["prelu", "relu", "gcu", "mlp_tanh"];

    private static readonly float[] Symmetric = [-1, -1, -1, 1, 1, -1, 1, 1];
    private static readonly float[] Binary = [0, 0, 0, 1, 1, 0, 1, 1];
    private static readonly float[] Y = [0, 1, 1, 0];

    private sealed class Gcu : Module
    {
        public override Tensor Forward(Tensor x) => x * Ops.Cos(x);
    }

    private static Module Build(string model, Rng rng) => model switch
    {
        "prelu" => new Sequential(new Linear(2, 1, rng, bias: false), new PRelu()),
        "relu" => new Sequential(new Linear(2, 1, rng), new ActivationLayer("relu")),
        "gcu" => new Sequential(new Linear(2, 1, rng), new Gcu()),
        "mlp_tanh" => new Sequential(new Linear(2, 2, rng), new ActivationLayer("tanh"), new Linear(2, 1, rng)),
        _ => throw new ArgumentException($"unknown model '{model}'; expected one of {string.Join(", ", Models)}.", nameof(model)),
    };

    /// <summary>Trains one model from seed and returns whether it solved XOR.</summary>
    public static bool Trial(string model, double lr, ulong seed, int epochs = 300, bool symmetricInputs = true)
    {
        var net = Build(model, new Rng(seed));
        var opt = new Adam(net.Parameters(), lr);
        var x = Tensor.FromArray(symmetricInputs ? Symmetric : Binary, 4, 2);
        var y = Tensor.FromArray(Y, 4, 1);
        for (int e = 0; e < epochs; e++)
        {
            var loss = Loss.Mse(net.Forward(x), y);
            opt.ZeroGrad();
            loss.Backward();
            opt.Step();
        }
        using var _ = Autodiff.Autograd.NoGrad();
        var p = net.Forward(x).ToArray();
        for (int i = 0; i < 4; i++)
            if (!(Math.Abs(p[i] - Y[i]) < 0.5f)) return false;
        return true;
    }

    /// <summary>Success rate of each model at each learning rate over seeds 0..seeds−1.</summary>
    public static double[,] SuccessRates(string[] models, double[] lrs, int seeds, int epochs = 300, bool symmetricInputs = true)
    {
        var rates = new double[models.Length, lrs.Length];
        for (int m = 0; m < models.Length; m++)
            for (int l = 0; l < lrs.Length; l++)
            {
                int ok = 0;
                for (int s = 0; s < seeds; s++) if (Trial(models[m], lrs[l], (ulong)s, epochs, symmetricInputs)) ok++;
                rates[m, l] = (double)ok / seeds;
            }
        return rates;
    }

    /// <summary>The REPRODUCTIONS.md table.</summary>
    public static string Table(int seeds = 20, bool symmetricInputs = true)
    {
        double[] lrs = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0];
        var r = SuccessRates(Models, lrs, seeds, 300, symmetricInputs);
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append("| model (parameters) |").AppendJoin("", lrs.Select(l => string.Create(inv, $" lr {l:g} |"))).AppendLine();
        sb.Append("|---|").AppendJoin("", lrs.Select(_ => "---:|")).AppendLine();
        string[] label = ["PReLU neuron, no bias (3)", "ReLU neuron (3)", "GCU neuron z·cos z (3)", "MLP 2-2-1 tanh (9)"];
        for (int m = 0; m < Models.Length; m++)
        {
            sb.Append("| ").Append(label[m]).Append(" |");
            for (int l = 0; l < lrs.Length; l++) sb.Append(string.Create(inv, $" {100 * r[m, l]:0}% |"));
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
