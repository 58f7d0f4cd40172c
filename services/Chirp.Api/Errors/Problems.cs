namespace Chirp.Api.Errors;

/// <summary>The problem results handlers return besides validation problems.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string title) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title);

    public static ProblemHttpResult Forbidden(string title) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: title);

    /// <summary>A 409 naming the field whose value is taken.</summary>
    public static ProblemHttpResult Conflict(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The value is already taken.",
        });
}
