using System.Numerics;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// Gated SAE (Rajamanoharan et al. 2024, https://arxiv.org/abs/2404.16014): with x̃ = x − b_dec,
/// π_gate = x̃·W_enc + b_gate, π_mag = exp(r_mag)⊙(x̃·W_enc) + b_mag, f = 1[π_gate &gt; 0]·ReLU(π_mag).
/// loss = mean_n ‖x̂ − x‖² + λ·mean_n Σ_i ReLU(π_gate)_i + mean_n ‖x̂_frozen(ReLU(π_gate)) − x‖², where x̂_frozen
/// uses a detached W_dec and b_dec (the auxiliary term trains the gate, which the step blocks in the main term).
/// </summary>
internal sealed class GatedSae : SaeArchitecture
{
    public static readonly GatedSae Instance = new();

    public override string Name => "gated";
    public override string Description => "gate and magnitude paths sharing W_enc (Rajamanoharan et al. 2024)";
    internal override IReadOnlyList<string> ExtraParameters { get; } = ["b_gate", "r_mag", "b_mag"];

    internal override void Encode<T>(SaeStep<T> s) => Forward(s);

    // g0 = x̃·W_enc in Pre, π_gate in Gate, π_mag in Mag, f in Codes (dense).
    private static void Forward<T>(SaeStep<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        s.PreActs(s.P.WEnc, null, s.Pre);
        s.EnsureAuxBuffers(latentWide: true);
        int n = s.N, m = s.Cfg.DSae;
        var bg = s.P["b_gate"]; var bm = s.P["b_mag"];
        var scale = Array.ConvertAll(s.P["r_mag"], T.Exp);
        s.Codes.ResetDense(n, m, clear: false);
        T[] g0 = s.Pre, gate = s.Gate, mag = s.Mag, f = s.Codes.Dense;
        SaeLinalg.ParallelRanges(n, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
                for (int i = 0; i < m; i++)
                {
                    int j = r * m + i;
                    gate[j] = g0[j] + bg[i];
                    mag[j] = scale[i] * g0[j] + bm[i];
                    f[j] = gate[j] > T.Zero && mag[j] > T.Zero ? mag[j] : T.Zero;
                }
        });
    }

    internal override void Loss<T>(SaeStep<T> s)
    {
        Forward(s);
        s.ReconstructAndLoss();
        int n = s.N, m = s.Cfg.DSae;
        T[] gate = s.Gate, mag = s.Mag, g0 = s.Pre;
        // Auxiliary codes ReLU(π_gate), decoded with the (detached) decoder.
        s.AuxCodes.ResetDense(n, m, clear: false);
        var ag = s.AuxCodes.Dense;
        double l1 = 0;
        for (int j = 0; j < n * m; j++) { ag[j] = T.Max(gate[j], T.Zero); l1 += double.CreateTruncating(ag[j]); }
        double lambda = s.Cfg.SparsityCoefficient * s.SparsityScale;
        s.Sparsity = lambda * l1 / n;
        s.Decode(s.AuxCodes, bias: true, s.AuxOut, s.FrozenDecoder);
        s.Aux = s.SquaredError(s.AuxOut, s.Y, s.G is null ? null : s.AuxGrad, 1.0);
        if (s.G is null) return;

        var scale = Array.ConvertAll(s.P["r_mag"], T.Exp);
        s.CodeGrad(s.Codes, s.DXHat, s.DPre);            // ∂L/∂f (dense)
        s.CodeGrad(s.AuxCodes, s.AuxGrad, s.AuxDPre);    // ∂L_aux/∂ReLU(π_gate) (dense)
        T ln = T.CreateTruncating(lambda / n);
        var df = s.DPre.Dense;
        var daux = s.AuxDPre.Dense;
        T[] gbg = s.G["b_gate"], gbm = s.G["b_mag"], gr = s.G["r_mag"];
        // df becomes ∂L/∂g0 = ∂L/∂π_gate + exp(r)·∂L/∂π_mag, the input of the shared encoder gradient.
        for (int r = 0; r < n; r++)
            for (int i = 0; i < m; i++)
            {
                int j = r * m + i;
                bool on = gate[j] > T.Zero;
                T dMag = on && mag[j] > T.Zero ? df[j] : T.Zero;
                T dGate = on ? ln + daux[j] : T.Zero;
                gbm[i] += dMag;
                gr[i] += dMag * scale[i] * g0[j];
                gbg[i] += dGate;
                df[j] = dGate + scale[i] * dMag;
            }
        s.EncoderGrad(s.DPre, s.P.WEnc, s.G.WEnc, null);
    }
}
