using Confluent.Kafka;
using Npgsql;

namespace Lab;

// Wrong: the write path waits for something that never comes (a lock, a slow network): the checker must time it out.
public static class OrderOutbox
{
    public static async Task PlaceOrderAsync(Order order, NpgsqlDataSource database, IProducer<string, string> producer, string topic, CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, CancellationToken.None);
    }

    public static Task<int> RelayAsync(NpgsqlDataSource database, IProducer<string, string> producer, string topic, CancellationToken cancellationToken) =>
        Task.FromResult(0);
}
