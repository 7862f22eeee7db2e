using System.Numerics;

namespace Nonlinear.Interpret.Sae;

/// <summary>
/// An [n, d_sae] matrix of latent values (codes or their gradients), either dense row-major or compressed by
/// rows (CSR: row r holds entries RowStart[r] .. RowStart[r+1]). TopK-like codes are born sparse; ReLU-like ones
/// are dense and go sparse when few are active, so the decoder and the gradients touch only active latents.
/// </summary>
internal sealed class SaeCodes<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Rows { get; private set; }
    public int Cols { get; private set; }
    public bool IsSparse { get; private set; }

    /// <summary>Dense values (IsSparse false), length ≥ Rows·Cols.</summary>
    public T[] Dense = [];
    public int[] RowStart = [0];
    public int[] Col = [];
    public T[] Val = [];

    public int NonZeros => IsSparse ? RowStart[Rows] : Rows * Cols;

    public void ResetDense(int rows, int cols, bool clear = true)
    {
        Rows = rows; Cols = cols; IsSparse = false;
        if (Dense.Length < rows * cols) Dense = new T[rows * cols];
        else if (clear) Array.Clear(Dense, 0, rows * cols);
    }

    /// <summary>Starts a CSR matrix with room for <paramref name="capacity"/> entries; fill it row by row or from known row counts.</summary>
    public void ResetSparse(int rows, int cols, int capacity)
    {
        Rows = rows; Cols = cols; IsSparse = true;
        if (RowStart.Length < rows + 1) RowStart = new int[rows + 1];
        if (Col.Length < capacity) { Col = new int[capacity]; Val = new T[capacity]; }
        RowStart[0] = 0;
    }

    /// <summary>CSR with the same pattern as <paramref name="like"/> and zero values.</summary>
    public void ResetLike(SaeCodes<T> like)
    {
        if (!like.IsSparse) { ResetDense(like.Rows, like.Cols); return; }
        int nnz = like.NonZeros;
        ResetSparse(like.Rows, like.Cols, nnz);
        Array.Copy(like.RowStart, RowStart, like.Rows + 1);
        Array.Copy(like.Col, Col, nnz);
        Array.Clear(Val, 0, nnz);
    }

    /// <summary>Grows the entry arrays to hold at least <paramref name="capacity"/> entries, keeping the content.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (Col.Length >= capacity) return;
        int size = Math.Max(capacity, Col.Length * 2);
        Array.Resize(ref Col, size);
        Array.Resize(ref Val, size);
    }

    /// <summary>The CSR form of a dense [rows, cols] matrix: its non-zero entries.</summary>
    public void FromDense(ReadOnlySpan<T> dense, int rows, int cols)
    {
        int nnz = 0;
        for (int i = 0; i < rows * cols; i++) if (dense[i] != T.Zero) nnz++;
        ResetSparse(rows, cols, nnz);
        int e = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = dense.Slice(r * cols, cols);
            for (int j = 0; j < cols; j++)
                if (row[j] != T.Zero) { Col[e] = j; Val[e] = row[j]; e++; }
            RowStart[r + 1] = e;
        }
    }

    /// <summary>
    /// <see cref="FromDense(ReadOnlySpan{T}, int, int)"/> when the non-zeros per row are already known (counted in the pass that wrote the
    /// matrix): the row starts are their prefix sums, so the rows fill in parallel.
    /// </summary>
    public void FromDense(T[] dense, int rows, int cols, int[] rowCounts)
    {
        int nnz = 0;
        for (int r = 0; r < rows; r++) nnz += rowCounts[r];
        ResetSparse(rows, cols, nnz);
        for (int r = 0; r < rows; r++) RowStart[r + 1] = RowStart[r] + rowCounts[r];
        SaeLinalg.ParallelRanges(rows, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++)
            {
                int e = RowStart[r];
                var row = dense.AsSpan(r * cols, cols);
                for (int j = 0; j < cols; j++)
                    if (row[j] != T.Zero) { Col[e] = j; Val[e] = row[j]; e++; }
            }
        });
    }

    /// <summary>Writes the matrix densely into <paramref name="dense"/> (rows·cols, overwritten).</summary>
    public void ToDense(Span<T> dense)
    {
        if (!IsSparse) { Dense.AsSpan(0, Rows * Cols).CopyTo(dense); return; }
        dense[..(Rows * Cols)].Clear();
        for (int r = 0; r < Rows; r++)
            for (int e = RowStart[r]; e < RowStart[r + 1]; e++) dense[r * Cols + Col[e]] = Val[e];
    }

    /// <summary>Value at (r, c) (0 when absent); for tests and small reads.</summary>
    public T Get(int r, int c)
    {
        if (!IsSparse) return Dense[r * Cols + c];
        for (int e = RowStart[r]; e < RowStart[r + 1]; e++) if (Col[e] == c) return Val[e];
        return T.Zero;
    }
}
