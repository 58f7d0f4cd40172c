namespace Chirp.Api.IntegrationTests;

/// <summary>Polls a condition that becomes true asynchronously (the relay's work), failing with a message after a timeout.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {timeout.TotalSeconds} s waiting until {because}.");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
