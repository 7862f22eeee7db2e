using System.Text.Json;
using Nonlinear.Losses;
using Nonlinear.Tensors;
using Xunit;

namespace Nonlinear.Tests.OpsGrad;

/// <summary>
/// Cross-entropy (incl. label_smoothing), NLL and MSE against torch 1.13 in float64
/// (fixtures/losses_torch.json from tools/golden/losses_torch.py). Bounds as in <see cref="SoftmaxLossGradTests"/>:
/// loss within (C+12)·u·(1 + 3·max|x| + ln C + |loss|); gradient (softmax − q)/B within (C+12)·u·(1 + 3·max|x| + ln C)·(|g| + 1/B).
/// </summary>
public class LossGoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Load().GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static JsonElement Load() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "losses_torch.json"))).RootElement;

    private static float[] Floats(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
    private static double[] Doubles(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Theory, MemberData(nameof(Cases))]
    public void MatchesTorch(string name)
    {
        var c = Load().GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var shape = c.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        string kind = c.GetProperty("kind").GetString()!;
        Tensor input, loss;
        if (kind == "mse")
        {
            input = Tensor.FromArray(Floats(c, "prediction"), shape).RequireGrad();
            loss = Loss.Mse(input, Tensor.FromArray(Floats(c, "target"), shape));
        }
        else
        {
            input = Tensor.FromArray(Floats(c, "logits"), shape).RequireGrad();
            var targets = c.GetProperty("targets").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            loss = kind == "nll" ? Loss.Nll(input, targets)
                : Loss.CrossEntropy(input, targets, (float)c.GetProperty("label_smoothing").GetDouble());
        }
        loss.Backward();
        double expected = c.GetProperty("loss").GetDouble();
        var xs = input.ToArray();
        double maxAbs = xs.Max(v => Math.Abs((double)v));
        int classes = shape[^1], batch = kind == "mse" ? xs.Length : shape[0];
        double k = kind == "mse" ? 3.001 : classes + 12, mag = kind == "mse" ? 0 : 1 + 3 * maxAbs + Math.Log(classes);
        double lossBound = k * GradCheck.U * (mag + Math.Abs(expected));
        Assert.True(Math.Abs(loss.Item() - expected) <= lossBound, $"{name}: loss {loss.Item():R} vs torch {expected:R} (bound {lossBound:E2})");

        var g = input.Grad!.ToArray();
        var gt = Doubles(c, "grad");
        for (int i = 0; i < g.Length; i++)
        {
            // MSE: g = fl(2/N)·fl(p − t) then one product: ≤ 3u·|g|.
            double bound = kind == "mse" ? 3.001 * GradCheck.U * Math.Abs(gt[i]) : k * GradCheck.U * mag * (Math.Abs(gt[i]) + 1.0 / batch);
            Assert.True(Math.Abs(g[i] - gt[i]) <= bound, $"{name}: grad[{i}] {g[i]:R} vs torch {gt[i]:R} (bound {bound:E2})");
        }
    }
}
