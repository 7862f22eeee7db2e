namespace Nonlinear.Tensors;

/// <summary>
/// The version counter of one storage array, shared by every tensor that views it (torch's version counter).
/// A class rather than a field on the tensor so that a write through a view is seen by the base and vice versa.
/// </summary>
internal sealed class StorageVersion
{
    /// <summary>Number of user-visible writes so far.</summary>
    public int Value;

    /// <summary>
    /// Set when a <see cref="TensorArena"/> took the array back for reuse: every tensor (and view) sharing this
    /// counter then refuses to touch its storage, so reuse can never be observed as silently changed values.
    /// </summary>
    public bool Released;
}
