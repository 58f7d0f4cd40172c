namespace Chirp.Api.Errors;

/// <summary>Looks inside a handler's result (through Results&lt;...&gt; unions) for its status code and value.</summary>
public static class HttpResults
{
    public static object? Unwrap(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result;
    }

    public static int? StatusCode(object? result) => (Unwrap(result) as IStatusCodeHttpResult)?.StatusCode;

    public static bool IsSuccess(object? result) => StatusCode(result) is >= 200 and < 300;
}
