using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers.Transformer;
using Nonlinear.Tensors;

namespace Nonlinear.Training;

/// <summary>Autoregressive sampling from a character language model: temperature, top-k, a seeded generator.</summary>
public static class TextSampler
{
    /// <summary>
    /// Continues <paramref name="prompt"/> by <paramref name="tokens"/> ids. Each id is drawn from softmax(logits/τ)
    /// restricted to the <paramref name="topK"/> largest logits (0: all); τ = 0 takes the arg-max. The model sees at
    /// most its context (the last ctx ids). Returns the generated text (without the prompt).
    /// </summary>
    /// <exception cref="InvalidInputException">Negative temperature or top-k, or tokens out of [0, 100000].</exception>
    public static string Generate(DecoderTransformer model, CharTokenizer tokenizer, string prompt, int tokens, double temperature, int topK, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(rng);
        if (tokens is < 0 or > 100_000) throw new InvalidInputException($"--tokens {tokens}: expected [0, 100000].", nameof(tokens));
        if (!(temperature >= 0) || !double.IsFinite(temperature)) throw new InvalidInputException($"--temperature {temperature}: expected a finite value ≥ 0.", nameof(temperature));
        if (topK < 0) throw new InvalidInputException($"--top-k {topK}: expected ≥ 0 (0 keeps every token).", nameof(topK));
        var ids = new List<int>(tokenizer.Encode(prompt.Length == 0 ? "\n" : prompt));
        int start = ids.Count, ctx = model.Config.Context;
        model.Eval();
        using var _ = Autograd.NoGrad();
        for (int n = 0; n < tokens; n++)
        {
            int from = Math.Max(0, ids.Count - ctx), t = ids.Count - from;
            var logits = model.Logits(ids.GetRange(from, t).ToArray(), 1, t);
            int v = logits.Size(2);
            var last = logits.ToArray().AsSpan((t - 1) * v, v);
            ids.Add(Pick(last, temperature, topK, rng));
        }
        return tokenizer.Decode(ids.Skip(start));
    }

    private static int Pick(ReadOnlySpan<float> logits, double temperature, int topK, Rng rng)
    {
        int v = logits.Length;
        if (temperature == 0) return Kernels.Reduce.ArgMax(logits);
        var order = Enumerable.Range(0, v).ToArray();
        var copy = logits.ToArray();
        Array.Sort(order, (a, b) => copy[b].CompareTo(copy[a]));
        int k = topK == 0 ? v : Math.Min(topK, v);
        double max = copy[order[0]];
        var w = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) { w[i] = Math.Exp((copy[order[i]] - max) / temperature); sum += w[i]; }
        double u = rng.NextDouble() * sum;
        for (int i = 0; i < k; i++) { u -= w[i]; if (u < 0) return order[i]; }
        return order[k - 1];
    }
}
