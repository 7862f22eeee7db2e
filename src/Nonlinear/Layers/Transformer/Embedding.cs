using Nonlinear.Autodiff;
using Nonlinear.Tensors;

namespace Nonlinear.Layers.Transformer;

/// <summary>
/// A lookup table (torch.nn.Embedding): row <c>ids[i]</c> of the weight [vocab, dim] for every id, so ids of shape
/// [...] give [..., dim]. Weights are N(0, 1) at init as in torch (GPT-style models rescale them).
/// Backward is sparse in the rows: dW[v] = Σ_{i: ids[i] = v} dy[i] and only the rows of ids that occurred are
/// touched; when the weight already holds a gradient buffer the rows are added into it in place, so a step over a
/// 50k vocabulary costs O(tokens · dim), not O(vocab · dim).
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>The table [vocab, dim].</summary>
    public Tensor Weight { get; }
    /// <summary>Number of rows (ids 0 … vocab − 1).</summary>
    public int Vocab { get; }
    /// <summary>Length of each row.</summary>
    public int Dim { get; }

    /// <summary>A table of <paramref name="vocab"/> rows of length <paramref name="dim"/>, N(0, std²) from <paramref name="rng"/>.</summary>
    public Embedding(int vocab, int dim, Rng rng, double std = 1.0)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (vocab <= 0) throw new ArgumentException($"vocab must be > 0; got {vocab}.", nameof(vocab));
        if (dim <= 0) throw new ArgumentException($"dim must be > 0; got {dim}.", nameof(dim));
        Vocab = vocab;
        Dim = dim;
        var w = new float[vocab * dim];
        for (int i = 0; i < w.Length; i++) w[i] = (float)(std * rng.NextGaussian());
        Weight = RegisterParameter("weight", Tensor.FromArray(w, vocab, dim));
    }

    /// <summary>Looks up ids given as a float tensor of whole numbers (the module interface); see <see cref="Lookup(int[], int[])"/>.</summary>
    public override Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var v = x.ToArray();
        var ids = new int[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            if (v[i] != MathF.Floor(v[i])) throw new ArgumentException($"Embedding ids must be whole numbers; element {i} is {v[i]}.", nameof(x));
            ids[i] = (int)v[i];
        }
        return Lookup(ids, x.Shape.ToArray());
    }

    /// <summary>Rows of <paramref name="ids"/> (shape <paramref name="shape"/>) as [..shape, dim].</summary>
    /// <exception cref="ArgumentException">An id outside [0, vocab), or a shape that does not hold the ids.</exception>
    public Tensor Lookup(int[] ids, params int[] shape) => Lookup(Weight, ids, shape);

    /// <summary>The embedding op on any table [vocab, dim] (also used for weight tying checks).</summary>
    internal static Tensor Lookup(Tensor weight, int[] ids, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (weight.Rank != 2) throw new ArgumentException($"embedding weight must be [vocab, dim]; got {Shapes.Format(weight.Shape)}.", nameof(weight));
        if (Shapes.Product(shape) != ids.Length)
            throw new ArgumentException($"ids has {ids.Length} elements; shape {Shapes.Format(shape)} needs {Shapes.Product(shape)}.", nameof(shape));
        int vocab = weight.Size(0), dim = weight.Size(1);
        foreach (int id in ids)
            if ((uint)id >= (uint)vocab) throw new ArgumentException($"embedding id {id} is outside [0, {vocab}).", nameof(ids));
        var w = weight.Contiguous();
        var src = w.AsReadOnlySpan();
        var result = TensorArena.Empty([.. shape, dim]);   // every row is copied in below
        var y = result.AsSpanUntracked();
        for (int i = 0; i < ids.Length; i++) src.Slice(ids[i] * dim, dim).CopyTo(y.Slice(i * dim, dim));
        // The rule reads only the ids (kept here), not the table: later writes to the weight stay legal.
        return Autograd.Record(result, "embedding", [w], g => [ScatterRows(w, g.Contiguous().AsReadOnlySpan(), ids, dim)], saved: []);
    }

    // Adds the gradient rows into the weight's existing buffer when it has one (returning null: nothing left to
    // accumulate); else returns a dense gradient with only the touched rows non-zero.
    private static Tensor? ScatterRows(Tensor w, ReadOnlySpan<float> g, int[] ids, int dim)
    {
        var target = Autograd.AccumulationTarget(w);
        var dense = target is null ? new float[w.Length] : null;
        Span<float> dst = dense ?? target!.AsSpanUntracked();
        for (int i = 0; i < ids.Length; i++)
        {
            var row = dst.Slice(ids[i] * dim, dim);
            var gi = g.Slice(i * dim, dim);
            for (int j = 0; j < dim; j++) row[j] += gi[j];
        }
        return dense is null ? null : Tensor.FromArray(dense, w.Size(0), dim);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{Vocab}, {Dim}";
}
