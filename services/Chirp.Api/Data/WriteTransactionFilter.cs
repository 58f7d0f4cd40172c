using Chirp.Api.Errors;

namespace Chirp.Api.Data;

/// <summary>
/// Wraps a write endpoint: commits the request's <see cref="WriteTransaction"/> when the handler returned a success
/// status, rolls it back otherwise. The commit happens before the response is written: a 2xx means durable.
/// </summary>
public sealed class WriteTransactionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var write = context.HttpContext.RequestServices.GetRequiredService<WriteTransaction>();
        var result = await next(context);
        if (HttpResults.IsSuccess(result))
        {
            // Not the request's token: once the handler succeeded, a client that hangs up must not leave the change half-done.
            await write.CommitAsync(CancellationToken.None);
        }
        else
        {
            await write.RollbackAsync();
        }

        return result;
    }
}
