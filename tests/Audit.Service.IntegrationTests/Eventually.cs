namespace Audit.Service.IntegrationTests;

internal static class Eventually
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(45);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after a generous timeout.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + s_timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {s_timeout.TotalSeconds:0} s waiting for: {what}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
