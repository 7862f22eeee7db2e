namespace Nonlinear.Tensors;

/// <summary>
/// Reuses the large arrays of a repeated computation (one training step) instead of allocating them anew each time.
/// While a scope of the arena is open on a thread, the library's ops take the storage of every tensor they create with
/// at least <see cref="MinLength"/> elements from the arena; closing the scope takes all of them back and marks each
/// such tensor (and every view of it) released, so any later use of one throws instead of reading an array that the
/// next scope has handed to another tensor. The next scope gets the same arrays again, already committed and in cache.
/// </summary>
/// <remarks>
/// Why: a step of the character GPT allocates ~450 MB of activations and gradients. Fresh large arrays come from the
/// GC's large-object heap, whose freed pages the OS takes back and faults in again, zeroed, on the next allocation
/// (~0.4 M page faults per 20 steps, a quarter of the process's CPU time in the kernel). A step allocates the same
/// shapes in the same order every time, so arrays are kept per exact length.
/// Only use a scope around code whose tensors are dead when it closes (forward, loss, backward of one step): read the
/// values you need (loss.Item()) before closing. Tensors made on other threads, small tensors, and arrays an op keeps
/// outside a tensor are ordinary GC allocations. Gradient buffers of leaves are allocated outside the arena (see
/// <see cref="Suspend"/>), since they outlive the step.
/// </remarks>
internal sealed class TensorArena
{
    /// <summary>Smaller tensors stay on the GC's gen0 heap, whose allocation is a pointer bump with no page faults.</summary>
    public const int MinLength = 8192;

    [ThreadStatic] private static TensorArena? t_current;

    private readonly Dictionary<int, Stack<float[]>> _free = [];
    private readonly List<(float[] Array, StorageVersion Version)> _lent = [];

    /// <summary>The arena whose scope is open on this thread, or null.</summary>
    public static TensorArena? Current => t_current;

    /// <summary>Arrays allocated by the arena since it was made (the rest were reused).</summary>
    public int Allocations { get; private set; }

    /// <summary>Arrays handed out since the arena was made, reused or not.</summary>
    public int Rents { get; private set; }

    /// <summary>Bytes of the arrays the arena owns (lent or free).</summary>
    public long OwnedBytes { get; private set; }

    /// <summary>Opens a scope on this thread; disposing it takes back every array lent during the scope.</summary>
    /// <exception cref="InvalidOperationException">A scope of an arena is already open on this thread.</exception>
    public Scope Enter()
    {
        if (t_current is not null) throw new InvalidOperationException("a TensorArena scope is already open on this thread; scopes do not nest.");
        t_current = this;
        return new Scope(this);
    }

    /// <summary>
    /// Closes this thread's arena scope until the returned value is disposed: for tensors that outlive the step
    /// (a leaf's first gradient buffer) made while a scope is open.
    /// </summary>
    public static SuspendScope Suspend()
    {
        var saved = t_current;
        t_current = null;
        return new SuspendScope(saved);
    }

    /// <summary>A tensor of <paramref name="shape"/> whose elements are not initialised: every element must be written before it is read.</summary>
    internal static Tensor Empty(int[] shape) => Allocate(shape, zero: false);

    /// <summary>A tensor of <paramref name="shape"/> filled with zeros.</summary>
    internal static Tensor ZeroFilled(int[] shape) => Allocate(shape, zero: true);

    private static Tensor Allocate(int[] shape, bool zero)
    {
        int n = Shapes.Product(shape);
        var arena = t_current;
        if (arena is null || n < MinLength)
            return new Tensor(zero ? new float[n] : GC.AllocateUninitializedArray<float>(n), shape);
        var (array, version) = arena.Rent(n);
        if (zero) Array.Clear(array);
        return new Tensor(array, 0, shape, Shapes.ContiguousStrides(shape), version);
    }

    private (float[] Array, StorageVersion Version) Rent(int length)
    {
        Rents++;
        float[] array;
        if (_free.TryGetValue(length, out var stack) && stack.Count > 0) array = stack.Pop();
        else
        {
            array = GC.AllocateUninitializedArray<float>(length);
            Allocations++;
            OwnedBytes += 4L * length;
        }
        var version = new StorageVersion();
        _lent.Add((array, version));
        return (array, version);
    }

    private void TakeBack()
    {
        foreach (var (array, version) in _lent)
        {
            version.Released = true;
            if (!_free.TryGetValue(array.Length, out var stack)) _free[array.Length] = stack = new Stack<float[]>();
            stack.Push(array);
        }
        _lent.Clear();
    }

    internal static void ThrowReleased(ReadOnlySpan<int> shape) => throw new InvalidOperationException(
        $"this tensor (shape {Shapes.Format(shape)}) was made inside a TensorArena scope that has closed: its storage was taken back " +
        "for reuse. Read what you need before the scope closes, or Clone() it inside the scope with the arena suspended.");

    /// <summary>An open scope of an arena on one thread.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly TensorArena _arena;
        internal Scope(TensorArena arena) => _arena = arena;

        /// <summary>Takes back every array lent during the scope and closes it.</summary>
        public void Dispose()
        {
            if (_arena is null) return;
            if (ReferenceEquals(t_current, _arena)) t_current = null;
            _arena.TakeBack();
        }
    }

    /// <summary>Restores the suspended scope when disposed.</summary>
    public readonly struct SuspendScope : IDisposable
    {
        private readonly TensorArena? _saved;
        internal SuspendScope(TensorArena? saved) => _saved = saved;

        /// <summary>Reopens the scope that was open before <see cref="Suspend"/>.</summary>
        public void Dispose() => t_current = _saved;
    }
}
