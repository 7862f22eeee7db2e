using System.Data.Common;

namespace Nonlinear.Store;

/// <summary>Parameterised commands in one line (values are never spliced into SQL text).</summary>
internal static class Sql
{
    public static DbCommand Command(DbConnection c, DbTransaction? t, string text, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = text;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public static int Execute(DbConnection c, DbTransaction? t, string text, params (string, object?)[] args)
    {
        using var cmd = Command(c, t, text, args);
        return cmd.ExecuteNonQuery();
    }

    public static object? Scalar(DbConnection c, DbTransaction? t, string text, params (string, object?)[] args)
    {
        using var cmd = Command(c, t, text, args);
        var v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public static List<T> Query<T>(DbConnection c, DbTransaction? t, string text, Func<DbDataReader, T> row, params (string, object?)[] args)
    {
        using var cmd = Command(c, t, text, args);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(row(r));
        return list;
    }

    public static string? Str(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    public static long? Long(this DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
    public static double? Dbl(this DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
}
