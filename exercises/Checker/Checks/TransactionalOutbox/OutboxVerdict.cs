using Lab.Checker.Sql;
using Lab.Checker.Verification;

namespace Lab.Checker.Checks.TransactionalOutbox;

/// <summary>
/// Counts what exercise 11's run left on the topic against what was committed: every committed order's event arrived,
/// none for a write that rolled back, duplicates only across a crash or an outage and then with the same event id, each
/// customer's events in order, and two relays that did not wait for each other. Explains the first thing wrong.
/// </summary>
public static class OutboxVerdict
{
    /// <summary>Lock-wait samples that show relays taking turns instead of sharing the work.</summary>
    public const double MaxWaitingShare = 0.15;

    /// <summary>The relays the checker starts together on a backlog.</summary>
    private static readonly int[] s_twoRelays = [4, 5];

    public static CheckResult Judge(OutboxResult result)
    {
        var committed = result.Committed.ToHashSet();
        var attempts = result.Writes.ToDictionary(write => write.Order.Id);
        var events = result.Messages.Where(message => message.Event is not null).ToList();
        var byOrder = events.GroupBy(message => message.Event!.OrderId).ToDictionary(group => group.Key, group => group.OrderBy(message => message.Timestamp).ToList());
        var rolledBack = result.Writes.Where(write => write.Doomed && !committed.Contains(write.Order.Id)).ToList();
        var counts = Counts(result, committed, byOrder, rolledBack);

        var unexpectedErrors = result.Writes.Where(write => write.Error is not null && !write.Doomed && write.Phase != "Kafka down").ToList();
        if (unexpectedErrors.Count > 0)
        {
            var first = unexpectedErrors[0];
            return Fail(new Report()
                .Failure($"{unexpectedErrors.Count} calls of PlaceOrderAsync failed (phase \"{first.Phase}\"):")
                .Evidence(unexpectedErrors.Select(write => write.Error!).Distinct(StringComparer.Ordinal).Take(3), 4)
                .Line("  Save the order and its event in one transaction; nothing else can fail here."), counts);
        }

        var ghosts = rolledBack.Where(write => byOrder.ContainsKey(write.Order.Id)).ToList();
        if (ghosts.Count > 0)
        {
            return Fail(new Report()
                .Failure($"{ghosts.Count} of the {rolledBack.Count} orders whose write rolled back have an event on the topic:")
                .Evidence(ghosts.Take(3).Select(write => $"order {write.Order.Id} ({write.Order.CustomerId} #{write.Order.Sequence}): rolled back at its commit, published anyway"), 4)
                .Line("  The checker made these transactions fail at COMMIT. Your write path published the event before the commit")
                .Line("  (before the transaction, or inside it): consumers now act on an order that does not exist. Publish nothing")
                .Line("  from the write path: insert the event into the outbox in the same transaction, and let the relay publish it"), counts);
        }

        var missing = result.Committed.Where(order => !byOrder.ContainsKey(order)).ToList();
        if (missing.Count > 0)
        {
            return Fail(Missing(result, missing, attempts), counts);
        }

        if (result.Messages.FirstOrDefault(message => message.Event is null) is { } foreign)
        {
            return Fail(new Report()
                .Failure($"A message on the topic is not an OrderPlaced event (partition {foreign.Partition}, offset {foreign.Offset}):")
                .Evidence([Shorten(foreign.Value)], 4)
                .Line("  Publish the event as the outbox holds it: OrderPlaced.ToJson(), keyed by the customer."), counts);
        }

        if (events.FirstOrDefault(message => message.Key != message.Event!.CustomerId) is { } wrongKey)
        {
            return Fail(new Report()
                .Failure($"Events are keyed by something other than their customer (order {wrongKey.Event!.OrderId}: key {wrongKey.Key ?? "null"}).")
                .Line("  A customer's events must stay in order: the same key puts them in the same partition. Key each by its CustomerId."), counts);
        }

        var renamed = byOrder.Values.FirstOrDefault(copies => copies.Select(copy => copy.Event!.EventId).Distinct().Count() > 1);
        if (renamed is not null)
        {
            return Fail(new Report()
                .Failure($"Order {renamed[0].Event!.OrderId}'s event arrived {renamed.Count} times with {renamed.Select(copy => copy.Event!.EventId).Distinct().Count()} different event ids.")
                .Line("  A relay that publishes a row again (after a crash) must send the same event: consumers drop a duplicate by its")
                .Line("  event id. Make the event once, in the write path, store it in the outbox, and publish the stored payload."), counts);
        }

        var unexplained = byOrder.Values.Where(copies => copies.Count > 1 && !Explained(copies, result.Faults)).ToList();
        if (unexplained.Count > 0)
        {
            var copies = unexplained[0];
            var relays = copies.Select(copy => copy.Relay).Distinct().Order().ToList();
            var report = new Report()
                .Failure($"{unexplained.Count} events were published more than once with no crash or outage in between:")
                .Evidence(copies.Select(copy => $"event {copy.Event!.EventId} (order {copy.Event.OrderId}) at {copy.Timestamp:HH:mm:ss.fff} by {(copy.Relay > 0 ? $"relay {copy.Relay}" : "the write path")}"), 4);
            return Fail(copies.Any(copy => copy.Relay == 0)
                ? report.Line("  Your write path publishes, and your relay publishes the same event again. Only the relay publishes.")
                : relays.Count > 1
                    ? report.Line("  Two relays took the same rows. A relay must lock what it claims (SELECT ... FOR UPDATE) and pass over rows")
                        .Line("  another relay holds (SKIP LOCKED), then mark them in the same transaction.")
                    : report.Line("  One relay published the same row again: does it mark what it published, in the transaction that claimed it?"), counts);
        }

        var outOfOrder = OutOfOrder(events);
        if (outOfOrder is not null)
        {
            var (customer, later, earlier) = outOfOrder.Value;
            var their = events.Where(message => message.Event!.CustomerId == customer).OrderBy(message => message.Offset).ToList();
            var firsts = their.DistinctBy(message => message.Event!.EventId).ToList();
            return Fail(new Report()
                .Failure($"{customer}'s events arrived out of order: order #{earlier} arrived after order #{later}, which was placed later.")
                .Evidence([$"{customer}, as published: {string.Join(", ", firsts.Take(12).Select(message => $"#{message.Event!.Sequence} (relay {message.Relay})"))}"], 4)
                .Line("  Two relays each claimed a batch, and both held events of this customer: the second published its part first.")
                .Line("  A relay may take a customer's next event only when no earlier one is still unpublished: claim the oldest")
                .Line("  unpublished event of each key (NOT EXISTS an earlier unpublished row with the same key), FOR UPDATE SKIP LOCKED,")
                .Line("  or let one relay at a time publish."), counts);
        }

        if (result.LockWaits.Samples >= 5 && result.LockWaits.Waiting >= result.LockWaits.Samples * MaxWaitingShare)
        {
            return Fail(new Report()
                .Failure($"With two relays, one waited for the other's row locks in {result.LockWaits.Waiting} of {result.LockWaits.Samples} samples.")
                .Line("  They took turns instead of sharing the work: FOR UPDATE without SKIP LOCKED makes the second relay wait until")
                .Line("  the first commits. SKIP LOCKED lets it pass over the rows the first one holds and take the next ones."), counts);
        }

        if (!result.KilledAfterAck)
        {
            return Fail(new Report()
                .Failure("Every event arrived once, but the checker could not kill a relay after Kafka acknowledged a message:")
                .Line("  your relay published fewer than five messages in that phase. The relay publishes the outbox's rows with the")
                .Line("  producer it is given (ProduceAsync), and awaits each acknowledgement before it marks the row."), counts);
        }

        return CheckResult.Pass(new Report()
            .Success($"Every committed order's event arrived: {counts.Committed} orders, {counts.Delivered} events.")
            .Success($"No event for the {rolledBack.Count} writes the checker rolled back at their commit.")
            .Success($"{counts.Duplicates} duplicates, all after a relay was killed or Kafka went down, each with its event's own id.")
            .Success($"Each of the {OutboxRun.Customers} customers' events arrived in the order they were placed.")
            .Success($"Two relays started on a backlog at once ({counts.ByRelay} messages): neither waited for the other's locks " +
                $"({result.LockWaits.Waiting} of {result.LockWaits.Samples} samples).")
            .Append(Story(result, counts))
            .Blank()
            .Line("What you learned: a write and a message cannot commit together, so the write path does not send the message: it")
            .Line("writes it into the outbox in the same transaction as the change, and a relay publishes it afterwards. The relay")
            .Line("marks a row only once Kafka acknowledged it, so a crash in between publishes it again (at least once, with the")
            .Line("same event id for consumers to drop the copy), and claims with FOR UPDATE SKIP LOCKED, per key, so that several")
            .Line("relays neither wait for each other nor reorder a customer's events.")
            .Line("The full-size version: services/Chirp.Api/Outbox/ (OutboxWriter, OutboxPublisher, OutboxRelay).")
            .Line("Read more: https://microservices.io/patterns/data/transactional-outbox.html,")
            .Line("  https://www.postgresql.org/docs/current/sql-select.html#SQL-FOR-UPDATE-SHARE"));
    }

    private static Report Missing(OutboxResult result, List<Guid> missing, Dictionary<Guid, WriteAttempt> attempts)
    {
        var byPhase = missing.Where(attempts.ContainsKey).GroupBy(order => attempts[order].Phase).Select(group => $"{group.Count()} written during \"{group.Key}\"");
        var report = new Report()
            .Failure($"{missing.Count} committed orders have no event on the topic: saved, and never announced.")
            .Evidence([string.Join("; ", byPhase)], 4);
        var markedAnyway = missing.Where(order => result.OutboxRows.TryGetValue(order, out var published) && published is not null).ToList();
        var inOutbox = missing.Count(result.OutboxRows.ContainsKey);
        if (result.OutboxRows.Count == 0)
        {
            var committed = result.Committed.ToHashSet();
            var failedWrites = result.Writes.Count(write => write.Phase == "Kafka down" && write.Error is not null && committed.Contains(write.Order.Id));
            return report
                .Line("  Your write path commits the order and then publishes to Kafka itself (the outbox stays empty). When Kafka is")
                .Line($"  down, or the process dies between the two, the order is saved and its event is gone ({failedWrites} writes even failed while")
                .Line("  Kafka was down, with their orders committed). Insert the event into the outbox in the same transaction as the")
                .Line("  order; the relay (RelayAsync) publishes it, whenever Kafka can take it.");
        }

        if (markedAnyway.Count > 0)
        {
            return report
                .Line($"  The outbox marks {markedAnyway.Count} of them as published. Your relay marked them before Kafka had acknowledged them")
                .Line("  (Produce without waiting for its delivery report, or marking first): when Kafka was down, or the relay was")
                .Line("  killed, the messages were still in the producer's queue and died with it. Await ProduceAsync for each, and")
                .Line("  mark only what Kafka acknowledged.");
        }

        if (inOutbox < missing.Count)
        {
            return report
                .Line($"  {missing.Count - inOutbox} of them have no row in the outbox: the write path must insert the event in the same")
                .Line("  transaction as the order, for every order.");
        }

        return report
            .Line("  Their events are still in the outbox, unpublished: your relay did not publish them (see its errors below, if any).")
            .Evidence(result.RelayErrors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).Take(3), 4);
    }

    /// <summary>A duplicate is within the contract when a crash or an outage fell between its first copy and a later one.</summary>
    private static bool Explained(List<Published> copies, IReadOnlyList<Fault> faults) =>
        copies.Skip(1).All(copy => faults.Any(fault => fault.At >= copies[0].Timestamp.AddMilliseconds(-50) && fault.At <= copy.Timestamp.AddMilliseconds(50)));

    /// <summary>The first customer whose events' first copies are not in sequence order: the later order that came first, and the earlier one.</summary>
    private static (string Customer, int Later, int Earlier)? OutOfOrder(IReadOnlyList<Published> events)
    {
        foreach (var customer in events.GroupBy(message => message.Event!.CustomerId).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            var last = 0;
            foreach (var message in customer.OrderBy(message => message.Offset).DistinctBy(message => message.Event!.EventId))
            {
                if (message.Event!.Sequence < last)
                {
                    return (customer.Key, last, message.Event.Sequence);
                }

                last = message.Event.Sequence;
            }
        }

        return null;
    }

    private static Counts Counts(OutboxResult result, HashSet<Guid> committed, Dictionary<Guid, List<Published>> byOrder, List<WriteAttempt> rolledBack)
    {
        var duplicates = byOrder.Values.Sum(copies => copies.Count - 1);
        var byRelay = string.Join(", ", s_twoRelays.Select(relay => $"relay {relay}: {PlanText.Count(result.Messages.Count(message => message.Relay == relay))}"));
        return new Counts(committed.Count, committed.Count(byOrder.ContainsKey), rolledBack.Count, duplicates, byRelay);
    }

    private static CheckResult Fail(Report report, Counts counts) => CheckResult.Fail(report.Blank()
        .Line($"  The counts: {counts.Committed} orders committed, {counts.Delivered} of them with an event; {counts.RolledBack} writes rolled back;")
        .Line($"  {counts.Duplicates} duplicate messages."));

    private static Report Story(OutboxResult result, Counts counts)
    {
        var report = new Report().Line("  What the checker did:");
        foreach (var phase in result.Writes.GroupBy(write => write.Phase))
        {
            var slowest = phase.Max(write => write.Took);
            report.Line($"    {phase.Key}: {phase.Count()} orders placed ({phase.Count(write => write.Doomed)} rolled back at their commit), the slowest write " +
                $"{PlanText.Milliseconds(slowest.TotalMilliseconds)}");
        }

        foreach (var fault in result.Faults)
        {
            report.Line($"    {fault.At:HH:mm:ss.fff} {fault.What}");
        }

        _ = counts;
        return report;
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "...";
}

/// <summary>The numbers every verdict shows.</summary>
public sealed record Counts(int Committed, int Delivered, int RolledBack, int Duplicates, string ByRelay);
