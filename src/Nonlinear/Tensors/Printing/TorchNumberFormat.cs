using System.Globalization;

namespace Nonlinear.Tensors.Printing;

/// <summary>
/// Python's <c>'{:.Nf}'</c> and <c>'{:.Ne}'</c> for a float widened to double: the exact binary value rounded to
/// N digits, ties to even. .NET's "F4" rounds ties away from zero (0.03125 → "0.0313", Python "0.0312"), so the
/// digits come from .NET's exact long expansion and the rounding is done here.
/// </summary>
internal static class TorchNumberFormat
{
    /// <summary>Fixed notation with <paramref name="decimals"/> digits after the point ("-0.0312", "inf", "nan").</summary>
    public static string Fixed(double value, int decimals)
    {
        if (!double.IsFinite(value)) return NonFinite(value);
        // A float's exact expansion ends within 150 fractional digits, so F160 holds every digit exactly.
        string exact = Math.Abs(value).ToString("F160", CultureInfo.InvariantCulture);
        int point = exact.IndexOf('.');
        string digits = exact.Remove(point, 1);
        int keep = point + decimals;
        string rounded = RoundHalfEven(digits, keep);
        int intLength = rounded.Length - decimals;   // a carry may add one integer digit
        string text = decimals == 0 ? rounded : rounded[..intLength] + "." + rounded[intLength..];
        return (double.IsNegative(value) ? "-" : "") + text;
    }

    /// <summary>Scientific notation as Python prints it: one digit, point, <paramref name="decimals"/> digits, "e±XX".</summary>
    public static string Scientific(double value, int decimals)
    {
        if (!double.IsFinite(value)) return NonFinite(value);
        string sign = double.IsNegative(value) ? "-" : "";
        double a = Math.Abs(value);
        if (a == 0) return sign + "0." + new string('0', decimals) + "e+00";
        // E200: 201 significant digits, more than any float or double has, so the digits are exact.
        string e = a.ToString("E200", CultureInfo.InvariantCulture);
        int ePos = e.IndexOf('E');
        string mantissa = e[..ePos].Replace(".", "");
        int exponent = int.Parse(e[(ePos + 1)..], CultureInfo.InvariantCulture);
        string rounded = RoundHalfEven(mantissa, 1 + decimals);
        if (rounded.Length > 1 + decimals) { exponent++; rounded = rounded[..(1 + decimals)]; }   // 9.99995 → 1.0000e+01
        string text = decimals == 0 ? rounded : rounded[..1] + "." + rounded[1..];
        return sign + text + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
    }

    private static string NonFinite(double value) => double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";

    // Keeps the first `keep` digits of `digits`, rounding the rest half to even; may return keep + 1 digits on a carry.
    private static string RoundHalfEven(string digits, int keep)
    {
        var head = digits[..keep].ToCharArray();
        string tail = digits[keep..];
        bool up;
        if (tail.Length == 0 || tail[0] < '5') up = false;
        else if (tail[0] > '5' || tail.AsSpan(1).IndexOfAnyExcept('0') >= 0) up = true;
        else up = keep > 0 && (head[keep - 1] - '0') % 2 == 1;
        if (!up) return new string(head);
        for (int i = keep - 1; i >= 0; i--)
        {
            if (head[i] != '9') { head[i]++; return new string(head); }
            head[i] = '0';
        }
        return "1" + new string(head);
    }
}
