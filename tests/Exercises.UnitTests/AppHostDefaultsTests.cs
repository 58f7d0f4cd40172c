using Lab.Checker.Infrastructure;

namespace Exercises.UnitTests;

/// <summary>./lab finds the AppHost's servers (containers or native) from AppHost/appsettings.json, with nothing to set.</summary>
public sealed class AppHostDefaultsTests
{
    [Fact]
    public void Builds_the_connection_strings_from_the_AppHost_settings()
    {
        var values = AppHostDefaults.Read(Repository.Root);

        Assert.Equal("Host=localhost;Port=5432;Username=postgres;Password=sandbox-local-only;Database=labdb", values["labdb"]);
        Assert.Equal("localhost:6379,password=sandbox-local-only", values["redis"]);
        Assert.Equal("localhost:9092", values["kafka"]);
        Assert.Equal("127.0.0.1:9099", values[LabConnections.KafkaControl]);
    }

    [Fact]
    public void A_repository_without_an_AppHost_gives_nothing()
    {
        Assert.Empty(AppHostDefaults.Read(Path.GetTempPath()));
    }
}
