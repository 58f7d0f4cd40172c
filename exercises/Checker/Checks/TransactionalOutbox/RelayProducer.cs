using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Lab.Checker.Checks.TransactionalOutbox;

/// <summary>
/// The producer the learner's relay receives: the real one, except that each message carries the relay's number in a
/// header (so the checker can tell who published it), and that the process can be set to die (SIGKILL, no cleanup) the
/// moment Kafka has acknowledged a given number of messages: published, and not yet marked.
/// </summary>
public sealed class RelayProducer(IProducer<string, string> inner, int relay, int dieAfterAcks) : IProducer<string, string>
{
    public const string RelayHeader = "lab-relay";
    public const string KilledAfterAck = "lab11: killed after Kafka acknowledged";
    private int _acknowledged;

    public Handle Handle => inner.Handle;

    public string Name => inner.Name;

    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);

    public async Task<DeliveryResult<string, string>> ProduceAsync(string topic, Message<string, string> message, CancellationToken cancellationToken = default)
    {
        var result = await inner.ProduceAsync(topic, Stamp(message), cancellationToken);
        Acknowledged();
        return result;
    }

    public async Task<DeliveryResult<string, string>> ProduceAsync(TopicPartition topicPartition, Message<string, string> message, CancellationToken cancellationToken = default)
    {
        var result = await inner.ProduceAsync(topicPartition, Stamp(message), cancellationToken);
        Acknowledged();
        return result;
    }

    public void Produce(string topic, Message<string, string> message, Action<DeliveryReport<string, string>>? deliveryHandler = null) =>
        inner.Produce(topic, Stamp(message), Report(deliveryHandler));

    public void Produce(TopicPartition topicPartition, Message<string, string> message, Action<DeliveryReport<string, string>>? deliveryHandler = null) =>
        inner.Produce(topicPartition, Stamp(message), Report(deliveryHandler));

    public int Poll(TimeSpan timeout) => inner.Poll(timeout);

    public int Flush(TimeSpan timeout) => inner.Flush(timeout);

    public void Flush(CancellationToken cancellationToken = default) => inner.Flush(cancellationToken);

    public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);

    public void BeginTransaction() => inner.BeginTransaction();

    public void CommitTransaction(TimeSpan timeout) => inner.CommitTransaction(timeout);

    public void CommitTransaction() => inner.CommitTransaction();

    public void AbortTransaction(TimeSpan timeout) => inner.AbortTransaction(timeout);

    public void AbortTransaction() => inner.AbortTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        inner.SendOffsetsToTransaction(offsets, groupMetadata, timeout);

    public void Dispose() => inner.Dispose();

    private Message<string, string> Stamp(Message<string, string> message)
    {
        message.Headers ??= [];
        message.Headers.Remove(RelayHeader);
        message.Headers.Add(RelayHeader, Encoding.UTF8.GetBytes(relay.ToString(CultureInfo.InvariantCulture)));
        return message;
    }

    private Action<DeliveryReport<string, string>> Report(Action<DeliveryReport<string, string>>? handler) => report =>
    {
        if (!report.Error.IsError)
        {
            Acknowledged();
        }

        handler?.Invoke(report);
    };

    private void Acknowledged()
    {
        if (dieAfterAcks > 0 && Interlocked.Increment(ref _acknowledged) >= dieAfterAcks)
        {
            Console.Error.WriteLine(KilledAfterAck);
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill();
        }
    }
}
