using Nonlinear.Autodiff;

namespace Nonlinear.Tensors;

/// <summary>
/// A dense float32 tensor: row-major storage in a managed array, a shape, strides and an offset, so that
/// reshape, transpose and slicing can be views. No Dispose is ever needed. A tensor produced by an op on
/// tensors that require gradients remembers how it was made, and <see cref="Backward(bool, bool)"/> fills
/// <see cref="Grad"/> of the leaves.
/// </summary>
public sealed partial class Tensor
{
    private readonly float[] _storage;

    /// <summary>
    /// The backing array. Reading it from a tensor whose storage a <see cref="TensorArena"/> has taken back throws:
    /// the array may already hold another tensor's values, so a stale tensor must fail loudly instead of reading them.
    /// </summary>
    internal float[] Storage
    {
        get
        {
            if (VersionCounter.Released) TensorArena.ThrowReleased(_shape);
            return _storage;
        }
    }
    internal readonly int Offset;
    /// <summary>Shared by every view of <see cref="Storage"/>; bumped by writes a user can make (see <see cref="Version"/>).</summary>
    internal readonly StorageVersion VersionCounter;
    private readonly int[] _shape;
    private readonly int[] _strides;

    /// <summary>The node that produced this tensor, or null for a leaf or a tensor made without gradients.</summary>
    internal GradNode? Node { get; set; }

    internal Tensor(float[] storage, int offset, int[] shape, int[] strides, StorageVersion? version = null)
    {
        _storage = storage;
        Offset = offset;
        VersionCounter = version ?? new StorageVersion();
        _shape = shape;
        _strides = strides;
        Length = Shapes.Product(shape);
    }

    internal Tensor(float[] storage, int[] shape) : this(storage, 0, shape, Shapes.ContiguousStrides(shape)) { }

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of the given shape.</summary>
    /// <exception cref="ArgumentException">The data's length is not the product of the shape.</exception>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        Shapes.Validate(shape, nameof(shape));
        if (data.Length != Shapes.Product(shape))
            throw new ArgumentException($"data has {data.Length} elements; shape {Shapes.Format(shape)} needs {Shapes.Product(shape)}.", nameof(data));
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>The sizes of the dimensions.</summary>
    public ReadOnlySpan<int> Shape => _shape;
    /// <summary>The distance in elements between neighbours along each dimension.</summary>
    public ReadOnlySpan<int> Strides => _strides;
    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;
    /// <summary>Number of elements.</summary>
    public int Length { get; }
    /// <summary>Size of dimension <paramref name="dim"/>; negative counts from the end.</summary>
    public int Size(int dim) => _shape[Shapes.Axis(dim, Rank)];

    /// <summary>True when the elements lie in row-major order without gaps, so <see cref="AsSpan"/> works.</summary>
    public bool IsContiguous => Shapes.IsContiguous(_shape, _strides);

    /// <summary>Whether gradients flow to this tensor. Set it on leaves (parameters, inputs you differentiate by).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>The accumulated gradient after <see cref="Backward(bool, bool)"/>; leaves only (as in PyTorch).</summary>
    public Tensor? Grad { get; set; }

    /// <summary>True when this tensor was made by an op that recorded a backward rule.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>
    /// The elements in row-major order, writable. Only for contiguous tensors; writes go to the tensor. Counts as a
    /// write: it bumps <see cref="Version"/>, so a later Backward() through an op that saved this tensor raises
    /// instead of using the changed values. Use <see cref="AsReadOnlySpan"/> to read.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor is a non-contiguous view; call <see cref="Contiguous"/> first.</exception>
    public Span<float> AsSpan()
    {
        var span = AsSpanUntracked();
        VersionCounter.Value++;
        return span;
    }

    /// <summary>The elements in row-major order, read-only (does not change <see cref="Version"/>). Only for contiguous tensors.</summary>
    /// <exception cref="InvalidOperationException">The tensor is a non-contiguous view; call <see cref="Contiguous"/> first.</exception>
    public ReadOnlySpan<float> AsReadOnlySpan() => AsSpanUntracked();

    /// <summary>
    /// The writable elements without a version bump: for the library's ops, which read their inputs and write only
    /// into tensors they have just created (a bump there would make every second reader of a tensor look like a
    /// writer). Code that changes a tensor the user can hold (optimizers, state-dict loading) uses <see cref="AsSpan"/>.
    /// </summary>
    internal Span<float> AsSpanUntracked()
    {
        if (!IsContiguous)
            throw new InvalidOperationException($"Tensor of shape {Shapes.Format(_shape)} is a non-contiguous view; call Contiguous() first.");
        return Storage.AsSpan(Offset, Length);
    }

    /// <summary>
    /// How many times the storage was written through <see cref="AsSpan"/>, the element setter or an in-place op
    /// (torch's <c>_version</c>); shared by all views of the storage. Backward() compares it with the value an op
    /// saw when it saved the tensor.
    /// </summary>
    public int Version => VersionCounter.Value;

    /// <summary>A copy of the elements in row-major order.</summary>
    public float[] ToArray()
    {
        if (IsContiguous) return AsSpanUntracked().ToArray();
        var result = new float[Length];
        Strided.Gather(this, result);
        return result;
    }

    /// <summary>This tensor if contiguous, else a contiguous copy (which keeps the gradient path).</summary>
    public Tensor Contiguous() => IsContiguous ? this : Ops.Copy(this);

    /// <summary>The value of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1)
            throw new InvalidOperationException($"Item() needs a tensor with one element; this one has shape {Shapes.Format(_shape)}.");
        return Storage[Offset];
    }

    /// <summary>Element at the given index (one per dimension).</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index]
    {
        get => Storage[FlatIndex(index)];
        set { Storage[FlatIndex(index)] = value; VersionCounter.Value++; }
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != Rank)
            throw new ArgumentException($"index has {index.Length} components; the tensor has rank {Rank}.", nameof(index));
        int flat = Offset;
        for (int d = 0; d < Rank; d++)
        {
            if ((uint)index[d] >= (uint)_shape[d])
                throw new IndexOutOfRangeException($"index[{d}] = {index[d]} is outside [0, {_shape[d]}).");
            flat += index[d] * _strides[d];
        }
        return flat;
    }

    /// <summary>A new tensor object over the same elements (same storage, layout and version), not yet in the graph: the output of identity ops.</summary>
    internal Tensor Alias() => new(_storage, Offset, _shape, _strides, VersionCounter);

    /// <summary>A new leaf sharing this tensor's storage, cut from the graph.</summary>
    public Tensor Detach() => new(_storage, Offset, _shape, _strides, VersionCounter);
}
