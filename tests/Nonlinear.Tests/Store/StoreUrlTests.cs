using Nonlinear.Store;
using Xunit;

namespace Nonlinear.Tests.Store;

public class StoreUrlTests
{
    [Theory]
    [InlineData("runs.sqlite")]
    [InlineData("sqlite:runs.sqlite")]
    public void SqlitePathsBecomeFullPaths(string text)
    {
        var u = StoreUrl.Parse(text);
        Assert.Equal(StoreProvider.Sqlite, u.Provider);
        Assert.Equal("sqlite:" + Path.GetFullPath("runs.sqlite"), u.ToString());
    }

    [Fact]
    public void PostgresUrlKeepsItsPartsAndHidesThePassword()
    {
        var u = StoreUrl.Parse("postgres://ann:s%40cret@db.example:6543/sweeps");
        Assert.Equal(StoreProvider.Postgres, u.Provider);
        Assert.Equal("postgres://ann:***@db.example:6543/sweeps", u.ToString());
        var cs = new Npgsql.NpgsqlConnectionStringBuilder(u.ConnectionString);
        Assert.Equal(("db.example", 6543, "sweeps", "ann", "s@cret"), (cs.Host, cs.Port, cs.Database, cs.Username, cs.Password));
        Assert.Equal(5432, new Npgsql.NpgsqlConnectionStringBuilder(StoreUrl.Parse("postgresql://h/d").ConnectionString).Port);
    }

    [Theory]
    [InlineData("", "got an empty value")]
    [InlineData("sqlite:", "expected a file path after 'sqlite:'")]
    [InlineData("mysql://h/db", "unknown scheme")]
    [InlineData("postgres://host", "expected one database name")]
    [InlineData("postgres://host/a/b", "expected one database name")]
    public void MalformedUrlsAreRefusedByName(string text, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => StoreUrl.Parse(text));
        Assert.StartsWith("--store", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AFolderIsNotAStore()
    {
        var e = Assert.Throws<InvalidInputException>(() => StoreUrl.Parse(Path.GetTempPath()));
        Assert.Contains("is a folder", e.Message);
    }
}
