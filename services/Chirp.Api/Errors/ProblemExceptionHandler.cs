using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Chirp.Api.Errors;

/// <summary>
/// The last line of defence: a request that cannot be bound becomes a 400 (or 413/415) problem naming the field, an
/// unavailable database a 503, anything else a 500 that says nothing about the code (no message, no stack trace).
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // The client is gone; there is no one to answer.
        }

        var problem = exception switch
        {
            BadHttpRequestException bad => BadRequest(bad),
            // Connection trouble, failover, too many clients: worth retrying. Other database errors are bugs: 500.
            NpgsqlException { IsTransient: true } or TimeoutException => Unavailable(exception),
            _ => Unexpected(exception),
        };
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }

    private static ProblemDetails BadRequest(BadHttpRequestException exception)
    {
        if (exception.StatusCode != StatusCodes.Status400BadRequest)
        {
            // 413 body too large, 415 not JSON, 408 body too slow: the framework's status is the right one.
            return new ProblemDetails { Status = exception.StatusCode, Title = exception.Message };
        }

        var (field, message) = BindingFailure.Describe(exception);
        return new ValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
        };
    }

    private ProblemDetails Unavailable(Exception exception)
    {
        LogDatabaseUnavailable(exception);
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The database is unavailable. Try again shortly.",
        };
    }

    private ProblemDetails Unexpected(Exception exception)
    {
        LogUnexpected(exception);
        return new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "An unexpected error occurred. The trace id identifies it in the logs.",
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable while handling a request")]
    private partial void LogDatabaseUnavailable(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while handling a request")]
    private partial void LogUnexpected(Exception exception);
}
