namespace AppHost.IntegrationTests;

/// <summary>Polls until a condition holds: the system is asynchronous (outbox, Kafka, consumer), so its results arrive later.</summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<string> context) where T : struct
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Nothing arrived within {timeout.TotalSeconds:0} s. Log:{Environment.NewLine}{context()}");
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}
