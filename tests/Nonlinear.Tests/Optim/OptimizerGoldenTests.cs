using System.Text.Json;
using Nonlinear.Optim;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.Optim;

/// <summary>
/// Replays the gradient sequences of fixtures/optim_torch.json through our optimizers and compares every step's
/// parameters with torch 1.13's. Bound: after step t each element is within 2·t ulp of the tensor's largest magnitude —
/// each step rounds a handful of float operations (≤ 1 ulp each at the operands' scale, and FMA contraction may differ
/// from torch's scalar tail), and errors can add up from step to step but the updates are contractive, not amplifying.
/// Observed on the development machine (AVX-512 tier, 2026-11-23): SGD bit-identical; Adam/AdamW ≤ 0.02 ulp of the max
/// (single elements 1 ulp apart in the 37-element tensor that torch runs through its vectorised loop).
/// </summary>
public class OptimizerGoldenTests
{
    public static TheoryData<string> Configs() => new(TorchGolden.Root.GetProperty("optim").EnumerateObject().Select(p => p.Name));

    private static Optimizer Make(JsonElement cfg, Tensor[] ps)
    {
        double Get(string name, double fallback) => cfg.TryGetProperty(name, out var v) ? v.GetDouble() : fallback;
        bool Flag(string name) => cfg.TryGetProperty(name, out var v) && v.GetBoolean();
        var betas = cfg.TryGetProperty("betas", out var b) ? (b[0].GetDouble(), b[1].GetDouble()) : (0.9, 0.999);
        return cfg.GetProperty("kind").GetString() switch
        {
            "sgd" => new Sgd(ps, Get("lr", 0), Get("momentum", 0), Get("dampening", 0), Get("weight_decay", 0), Flag("nesterov")),
            "adam" => new Adam(ps, Get("lr", 1e-3), betas, 1e-8, Get("weight_decay", 0), Flag("amsgrad")),
            "adamw" => new AdamW(ps, Get("lr", 1e-3), betas, 1e-8, Get("weight_decay", 1e-2), Flag("amsgrad")),
            var k => throw new InvalidOperationException($"unknown optimizer kind {k}"),
        };
    }

    private static Tensor[] InitialParameters()
    {
        var root = TorchGolden.Root;
        var shapes = root.GetProperty("shapes").EnumerateArray().Select(s => s.Ints()).ToArray();
        var init = root.GetProperty("init").EnumerateArray().Select(a => a.Floats()).ToArray();
        return shapes.Select((s, i) => Tensor.FromArray((float[])init[i].Clone(), s).RequireGrad()).ToArray();
    }

    private static void SetGrads(Tensor[] ps, int step)
    {
        var g = TorchGolden.Root.GetProperty("grads")[step];
        for (int i = 0; i < ps.Length; i++) ps[i].Grad = Tensor.FromArray(g[i].Floats(), ps[i].Shape.ToArray());
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void TrajectoryMatchesTorch(string name)
    {
        var golden = TorchGolden.Root.GetProperty("optim").GetProperty(name);
        var ps = InitialParameters();
        var opt = Make(golden.GetProperty("config"), ps);
        var traj = golden.GetProperty("trajectory");
        for (int t = 0; t < traj.GetArrayLength(); t++)
        {
            SetGrads(ps, t);
            opt.Step();
            for (int i = 0; i < ps.Length; i++)
                TorchGolden.AssertClose(traj[t][i].Floats(), ps[i].ToArray(), 2.0 * (t + 1), $"{name} step {t + 1} param {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void ResumingFromStateDictContinuesBitIdentically(string name)
    {
        var cfg = TorchGolden.Root.GetProperty("optim").GetProperty(name).GetProperty("config");
        int steps = TorchGolden.Root.GetProperty("steps").GetInt32();
        var straight = InitialParameters();
        var a = Make(cfg, straight);
        for (int t = 0; t < steps; t++) { SetGrads(straight, t); a.Step(); }

        var first = InitialParameters();
        var b = Make(cfg, first);
        for (int t = 0; t < 4; t++) { SetGrads(first, t); b.Step(); }
        var state = b.StateDict();
        var resumed = first.Select(p => Tensor.FromArray(p.ToArray(), p.Shape.ToArray()).RequireGrad()).ToArray();
        var c = Make(cfg, resumed);
        c.LoadStateDict(state);
        for (int t = 4; t < steps; t++) { SetGrads(resumed, t); c.Step(); }
        for (int i = 0; i < straight.Length; i++) Assert.Equal(straight[i].ToArray(), resumed[i].ToArray());
    }

    [Fact]
    public void ParametersWithoutGradientAreSkipped()
    {
        var p = Tensor.FromArray([1f, 2f], 2).RequireGrad();
        var q = Tensor.FromArray([3f], 1).RequireGrad();
        var opt = new Adam([p, q], lr: 0.1);
        q.Grad = Tensor.FromArray([1f], 1);
        opt.Step();
        Assert.Equal(new[] { 1f, 2f }, p.ToArray());
        Assert.Equal(0L, ((AdaptiveMomentOptimizer)opt).StepCount(0));
        Assert.Equal(1L, ((AdaptiveMomentOptimizer)opt).StepCount(1));
        // First Adam step moves by lr·sign(g) up to ε: m̂ = g, v̂ = g².
        Assert.Equal(2.9f, q.ToArray()[0], 6);
    }

    [Fact]
    public void StateDictRejectsWrongLengthAndForeignKeys()
    {
        var p = Tensor.FromArray([1f, 2f, 3f], 3).RequireGrad();
        var opt = new Sgd([p], 0.1, momentum: 0.9);
        p.Grad = Tensor.Ones(3);
        opt.Step();
        var state = opt.StateDict();
        Assert.Equal(new[] { 1f, 1f, 1f }, state.Tensors["param.0.momentum_buffer"]);
        state.Tensors["param.0.momentum_buffer"] = new float[2];
        var ex = Assert.Throws<ArgumentException>(() => opt.LoadStateDict(state));
        Assert.Contains("param.0.momentum_buffer", ex.Message);
        Assert.Contains("expected 3", ex.Message);
        state.Tensors.Remove("param.0.momentum_buffer");
        state.Tensors["param.0.exp_avg"] = new float[3];
        ex = Assert.Throws<ArgumentException>(() => opt.LoadStateDict(state));
        Assert.Contains("param.0.exp_avg", ex.Message);
    }

    [Fact]
    public void ConstructorValidatesArguments()
    {
        var p = Tensor.Zeros(2).RequireGrad();
        Assert.Throws<ArgumentException>(() => new Sgd([], 0.1));
        Assert.Throws<ArgumentException>(() => new Sgd([p, p], 0.1));
        Assert.Throws<ArgumentException>(() => new Sgd([p], -1));
        Assert.Throws<ArgumentException>(() => new Sgd([p], 0.1, momentum: 0, nesterov: true));
        Assert.Throws<ArgumentException>(() => new Adam([p], betas: (1.0, 0.999)));
    }

    [Fact]
    public void LongParametersExerciseVectorBodyAndTail()
    {
        // 37 elements: whole vectors of every width plus a scalar tail; compare with a scalar double-free replay.
        const int n = 37;
        var rng = new Rng(5);
        var p = Tensor.Randn(rng, [n]).RequireGrad();
        var expect = p.ToArray();
        var g = Tensor.Randn(rng, [n]);
        var opt = new Sgd([p], 0.05, momentum: 0.5, weightDecay: 0.1, nesterov: true);
        p.Grad = g;
        opt.Step();
        var gs = g.ToArray();
        for (int i = 0; i < n; i++)
        {
            float d = MathF.FusedMultiplyAdd(expect[i], 0.1f, gs[i]);
            float buf = d;
            d = MathF.FusedMultiplyAdd(buf, 0.5f, d);
            expect[i] = MathF.FusedMultiplyAdd(d, -0.05f, expect[i]);
        }
        Assert.Equal(expect, p.ToArray());
    }
}
