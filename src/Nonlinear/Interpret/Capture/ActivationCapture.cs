using Nonlinear.Autodiff;
using Nonlinear.Data;
using Nonlinear.Layers;
using Nonlinear.Tensors;

namespace Nonlinear.Interpret.Capture;

/// <summary>
/// Records what modules output (or receive) over a data set, through forward hooks, in evaluation mode under
/// <see cref="Autograd.NoGrad"/> and in input order: <see cref="Collect"/> keeps it in memory, <see cref="ToShards"/>
/// streams it to safetensors shards, and <see cref="Run"/> hands each batch to a callback (for one-pass statistics).
/// Modules are named as <see cref="Module.NamedModules"/> names them ("1", "layers.0"); hooks are removed and the
/// model's training mode restored afterwards, also on failure.
/// </summary>
public static class ActivationCapture
{
    /// <summary>Captures <paramref name="names"/> over <paramref name="data"/> into memory.</summary>
    /// <exception cref="InvalidInputException">No names, a repeated or unknown name (the message lists the valid ones), bad options.</exception>
    public static CapturedActivations Collect(Module model, Dataset data, IReadOnlyList<string> names, CaptureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ActivationMatrix[]? all = null;
        Run(model, data, names, options, batch =>
        {
            all ??= batch.Layers.Select(l => new ActivationMatrix(l.Name, new float[(long)data.Count * l.RowsPerInput * l.Units],
                data.Count * l.RowsPerInput, l.Units, l.RowsPerInput)).ToArray();
            for (int i = 0; i < all.Length; i++)
            {
                var part = batch.Layers[i];
                part.Values.CopyTo(all[i].Values, (long)batch.FirstInput * part.RowsPerInput * part.Units);
            }
        });
        all ??= names.Select(n => new ActivationMatrix(n, [], 0, 0)).ToArray();
        return new CapturedActivations(all, data.Labels, data.NumClasses);
    }

    /// <summary>
    /// Captures <paramref name="names"/> over <paramref name="data"/> into safetensors shards in
    /// <paramref name="directory"/> (see <see cref="ActivationShards"/>); returns the index that was written.
    /// </summary>
    public static ShardIndex ToShards(Module model, Dataset data, IReadOnlyList<string> names, string directory,
        long maxShardBytes = ActivationShards.DefaultMaxShardBytes, CaptureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        using var writer = new ShardWriter(directory, maxShardBytes);
        Run(model, data, names, options, writer.Add);
        return writer.Finish();
    }

    /// <summary>Runs the model over <paramref name="data"/> and calls <paramref name="sink"/> once per batch, in input order.</summary>
    public static void Run(Module model, Dataset data, IReadOnlyList<string> names, CaptureOptions? options, Action<CaptureBatch> sink)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(sink);
        options ??= new CaptureOptions();
        options.Validate();
        var modules = Resolve(model, names);
        var current = new ActivationMatrix?[names.Count];
        // One buffer per layer, reused batch after batch: a fresh batch-sized array per layer and batch is garbage the GC
        // must sweep every batch (see BENCHMARKS.md, capture overhead, for the before/after figures and their caveat).
        var buffers = new float[names.Count][];
        var handles = new List<HookHandle>();
        bool wasTraining = model.IsTraining;
        try
        {
            for (int i = 0; i < modules.Length; i++)
            {
                int slot = i;
                handles.Add(options.Point == CapturePoint.Output
                    ? modules[i].RegisterForwardHook((_, _, y) => { Keep(current, buffers, slot, names[slot], y, options.Layout); return null; })
                    : modules[i].RegisterForwardPreHook((_, x) => { Keep(current, buffers, slot, names[slot], x, options.Layout); return null; }));
            }
            model.Eval();
            using var noGrad = Autograd.NoGrad();
            int done = 0;
            foreach (var batch in new DataLoader(data, options.BatchSize, shuffle: false).Epoch(0))
            {
                Array.Clear(current);
                model.Call(batch.Features);
                var layers = new ActivationMatrix[current.Length];
                for (int i = 0; i < layers.Length; i++)
                    layers[i] = current[i] ?? throw new InvalidOperationException($"module '{names[i]}' did not run in the forward pass of {model.GetType().Name}; capture only modules the model calls.");
                sink(new CaptureBatch(done, batch.Count, (int[])batch.Labels.Clone(), layers));
                done += batch.Count;
                options.Progress?.Invoke(done, data.Count);
            }
        }
        finally
        {
            foreach (var h in handles) h.Dispose();
            model.Train(wasTraining);
        }
    }

    /// <summary>The modules at <paramref name="names"/>; an unknown name is refused with the full list of valid names.</summary>
    internal static Module[] Resolve(Module model, IReadOnlyList<string> names)
    {
        if (names.Count == 0) throw new InvalidInputException("no module names to capture; give at least one dotted name.", nameof(names));
        var known = model.NamedModules().Where(n => n.Name.Length > 0).ToDictionary(n => n.Name, n => n.Module);
        var result = new Module[names.Count];
        var seen = new HashSet<string>();
        for (int i = 0; i < names.Count; i++)
        {
            if (!seen.Add(names[i])) throw new InvalidInputException($"module '{names[i]}' is named twice; name each module once.", nameof(names));
            if (!known.TryGetValue(names[i], out var m))
                throw new InvalidInputException($"no module '{names[i]}' in {model.GetType().Name}; valid names: {string.Join(", ", known.Keys)}.", nameof(names));
            result[i] = m;
        }
        return result;
    }

    private static void Keep(ActivationMatrix?[] current, float[][] buffers, int slot, string name, Tensor t, SpatialLayout layout)
    {
        // A module called twice in one forward (weight sharing) would need a convention for which call to keep; refuse instead of guessing.
        if (current[slot] is not null)
            throw new InvalidOperationException($"module '{name}' ran twice in one forward pass; capture of shared modules is not supported.");
        if (buffers[slot]?.Length != t.Length) buffers[slot] = new float[t.Length];
        current[slot] = ToMatrix(name, t, layout, buffers[slot]);
    }

    private static ActivationMatrix ToMatrix(string name, Tensor t, SpatialLayout layout, float[] values)
    {
        if (t.Rank == 0) throw new InvalidOperationException($"module '{name}' produced a scalar; capture needs a batch dimension.");
        var src = t.Contiguous().AsReadOnlySpan();
        int b = t.Size(0);
        if (layout == SpatialLayout.Flatten || t.Rank <= 2)
        {
            int units = b == 0 ? 0 : t.Length / b;
            src.CopyTo(values);
            return new ActivationMatrix(name, values, b, units);
        }
        if (layout == SpatialLayout.TokensAsRows)
        {
            // [B, T, D] is already row-major by token: each position of each input is a row of its D values.
            int d = t.Size(-1), tokens = t.Length / Math.Max(1, b * d);
            src.CopyTo(values);
            return new ActivationMatrix(name, values, b * tokens, d, tokens);
        }
        int c = t.Size(1), positions = t.Length / Math.Max(1, b * c);
        // [B, C, P] → [B·P, C]: each position of each input becomes a row of channel values.
        for (int i = 0; i < b; i++)
            for (int ch = 0; ch < c; ch++)
            {
                var plane = src.Slice((i * c + ch) * positions, positions);
                int row0 = i * positions;
                for (int p = 0; p < positions; p++) values[(row0 + p) * c + ch] = plane[p];
            }
        return new ActivationMatrix(name, values, b * positions, c, positions);
    }
}
