namespace Nonlinear.Interpret.Capture;

/// <summary>Which tensor of a module a capture records.</summary>
public enum CapturePoint
{
    /// <summary>What the module returns (torch: the output seen by a forward hook).</summary>
    Output,
    /// <summary>What the module receives (torch: the input seen by a forward pre-hook).</summary>
    Input,
}

/// <summary>How a captured tensor of rank ≥ 3 (a conv feature map [B, C, H, W]) becomes rows × units.</summary>
public enum SpatialLayout
{
    /// <summary>One row per input, every element a unit: [B, C·H·W] in row-major order (channel-major, as torch's flatten(1)).</summary>
    Flatten,
    /// <summary>
    /// One row per input and spatial position, the channels as units: [B·H·W, C] (the layout SAEs on conv features use).
    /// Row r belongs to input r / (H·W).
    /// </summary>
    ChannelsAsUnits,
    /// <summary>
    /// One row per input and position of a sequence output [B, T, …, D], the last dimension as units: [B·T·…, D] (a
    /// transformer's residual stream or MLP activations, token by token). Row r belongs to input r / T.
    /// </summary>
    TokensAsRows,
}

/// <summary>Settings of <see cref="ActivationCapture"/>.</summary>
/// <param name="BatchSize">Inputs per forward pass.</param>
/// <param name="Point">Output or input of each named module.</param>
/// <param name="Layout">How feature maps become rows × units.</param>
/// <param name="Progress">Called after each batch with (inputs done, inputs in total); null for none.</param>
public sealed record CaptureOptions(int BatchSize = 256, CapturePoint Point = CapturePoint.Output,
    SpatialLayout Layout = SpatialLayout.Flatten, Action<int, int>? Progress = null)
{
    /// <summary>The largest accepted batch size.</summary>
    public const int MaxBatchSize = 1 << 20;

    internal void Validate()
    {
        if (BatchSize < 1 || BatchSize > MaxBatchSize)
            throw new InvalidInputException($"capture batch size must be in [1, {MaxBatchSize}]; got {BatchSize}.", nameof(BatchSize));
        if (!Enum.IsDefined(Point)) throw new InvalidInputException($"capture point {(int)Point} is not Output or Input.", nameof(Point));
        if (!Enum.IsDefined(Layout)) throw new InvalidInputException($"capture layout {(int)Layout} is not Flatten, ChannelsAsUnits or TokensAsRows.", nameof(Layout));
    }

    /// <summary>"batch=256, point=Output, layout=Flatten".</summary>
    public override string ToString() => $"batch={BatchSize}, point={Point}, layout={Layout}";
}
