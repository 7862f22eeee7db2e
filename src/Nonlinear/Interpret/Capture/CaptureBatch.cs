namespace Nonlinear.Interpret.Capture;

/// <summary>
/// The activations one forward pass produced: for inputs [<see cref="FirstInput"/>, FirstInput + <see cref="Count"/>)
/// of the data set, one matrix per requested module in the order they were named. From a live capture
/// (<see cref="ActivationCapture.Run"/>) the matrices' arrays are reused by the next batch: copy what you keep.
/// </summary>
public sealed class CaptureBatch
{
    internal CaptureBatch(int firstInput, int count, int[] labels, ActivationMatrix[] layers)
    {
        FirstInput = firstInput;
        Count = count;
        Labels = labels;
        Layers = layers;
    }

    /// <summary>Index in the data set of this batch's first input.</summary>
    public int FirstInput { get; }
    /// <summary>Inputs in this batch.</summary>
    public int Count { get; }
    /// <summary>The class labels of the inputs (empty for a regression set).</summary>
    public IReadOnlyList<int> Labels { get; }
    /// <summary>One matrix per requested module, in request order.</summary>
    public IReadOnlyList<ActivationMatrix> Layers { get; }
}
