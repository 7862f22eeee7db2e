using System.Text;
using Nonlinear.Tensors.Printing;

namespace Nonlinear.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// The values as torch prints them: <c>tensor([[0.1000, 0.2000],\n        [0.3000, 0.4000]])</c>, more than
    /// 1000 elements summarised with "..." (3 edge items), then <c>grad_fn=&lt;MulBackward0&gt;</c> for a tensor made
    /// by a recorded op (our op's name in torch's style) or <c>requires_grad=True</c> for a leaf that requires gradients.
    /// </summary>
    public override string ToString() => TensorFormatter.Format(this, Node is null ? null : GradFnName(Node.Name));

    // "cross_entropy" → "CrossEntropyBackward0", the shape of torch's grad_fn class names.
    private static string GradFnName(string op)
    {
        var sb = new StringBuilder();
        foreach (var part in op.Split('_', StringSplitOptions.RemoveEmptyEntries))
            sb.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        return sb.Append("Backward0").ToString();
    }
}
