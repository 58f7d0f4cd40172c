namespace Lab;

/// <summary>
/// Exercise 05: something that happened to an account. Events of one account must be applied in
/// <see cref="Sequence"/> order (a withdrawal before the deposit that covers it would bounce).
/// </summary>
/// <param name="EventId">Unique per event.</param>
/// <param name="AccountId">The account, like "acc-0042".</param>
/// <param name="Sequence">1, 2, 3... per account, in the order the events happened.</param>
/// <param name="Kind">deposit, withdrawal or fee.</param>
/// <param name="AmountCents">The amount, in cents.</param>
public sealed record AccountEvent(Guid EventId, string AccountId, long Sequence, string Kind, long AmountCents);
