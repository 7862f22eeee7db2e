using Nonlinear.Autodiff;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Spiking;

/// <summary>
/// Fixed matrices that carry the error to each hidden layer's spikes in a <see cref="SpikingNetwork"/>'s BPTT backward in
/// place of the transposed forward weights (feedback alignment for spiking networks; the rule that draws them is
/// LocalLearning's SpikingFeedbackAlignment). The forward pass is unchanged; every other local derivative (the surrogate,
/// the LIF recurrences through time, the weight gradients Gᵀ·S) is the network's own.
/// <list type="bullet">
/// <item>Feedback (FA, Lillicrap et al. 2016): hidden layer h receives δ_{h+1}[t]·B_h, where δ_{h+1} [T, B, C_{h+1}] is the
/// error at the currents of the layer above and B_h has the shape of that layer's weight [C_{h+1}, N_h].</item>
/// <item>Direct (DFA, Nøkland 2016): hidden layer h receives δ_out[t]·D_h, the error at the output layer's currents
/// (per step) through D_h [classes, N_h].</item>
/// </list>
/// </summary>
internal sealed class SpikeFeedback
{
    /// <summary>Creates the feedback; <paramref name="matrices"/>[h] belongs to hidden layer h.</summary>
    public SpikeFeedback(bool direct, IReadOnlyList<Tensor> matrices)
    {
        Direct = direct;
        Matrices = matrices;
    }

    /// <summary>DFA (else FA).</summary>
    public bool Direct { get; }

    /// <summary>Per hidden layer: B_h [C_{h+1}, N_h] (FA) or D_h [classes, N_h] (DFA).</summary>
    public IReadOnlyList<Tensor> Matrices { get; }

    /// <summary>How one hidden layer's spikes get their error in one pass.</summary>
    /// <param name="Matrix">B_h or D_h.</param>
    /// <param name="Tap">DFA: where the pass's output error is caught; null for FA.</param>
    internal sealed record Use(Tensor Matrix, ErrorTap? Tap)
    {
        /// <summary>The error that <see cref="Matrix"/> carries: the layer above's (<paramref name="own"/>) for FA, the output's for DFA.</summary>
        public Tensor Source(Tensor own)
        {
            if (Tap is null) return own;
            return Tap.Error ?? throw new InvalidOperationException("direct feedback alignment: the output layer's error is not known yet; backpropagate from the network's loss.");
        }
    }

    /// <summary>Identity on the output layer's currents whose backward keeps the error it passes (DFA).</summary>
    internal sealed class ErrorTap
    {
        /// <summary>δ_out [T, B, C], set when the backward passes the tap (before any hidden layer's backward).</summary>
        public Tensor? Error { get; private set; }

        /// <summary>Records the tap on <paramref name="currents"/>.</summary>
        public Tensor Record(Tensor currents)
        {
            var y = currents.Contiguous();
            var copy = new Tensor(y.AsReadOnlySpan().ToArray(), y.Shape.ToArray());
            return Autograd.Record(copy, "error_tap", [currents], g =>
            {
                Error = g.Contiguous();
                return [g];
            }, saved: []);
        }
    }

    /// <summary>
    /// fc(<paramref name="spikes"/>) whose backward sends the feedback error to the spikes instead of G·W (the path for
    /// a Linear that does not run fused with the LIF layer below it, e.g. when either has hooks). The weight and bias
    /// gradients are fc's own: fc runs on the detached spikes.
    /// </summary>
    internal static Tensor Linear(Tensor spikes, Linear fc, Use use)
    {
        var y = fc.Call(spikes.Detach());
        var values = y.Contiguous();
        var copy = new Tensor(values.AsReadOnlySpan().ToArray(), values.Shape.ToArray());
        return Autograd.Record(copy, "feedback_linear", [y, spikes], g =>
        {
            var src = use.Source(g.Contiguous());
            int classes = src.Size(-1);
            var e = Ops.MatMul(Ops.Reshape(src, -1, classes), use.Matrix);
            return [g, Ops.Reshape(e, spikes.Shape.ToArray())];
        }, saved: []);
    }
}
