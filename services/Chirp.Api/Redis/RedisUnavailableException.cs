namespace Chirp.Api.Redis;

/// <summary>Redis is not connected (yet, or any more); StackExchange.Redis 1.2.6 offers no public exception to say so.</summary>
public sealed class RedisUnavailableException : Exception
{
    public RedisUnavailableException()
    {
    }

    public RedisUnavailableException(string message)
        : base(message)
    {
    }

    public RedisUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
