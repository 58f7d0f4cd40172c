using Chirp.Api.Errors;
using Chirp.Api.Timelines;

namespace Chirp.Api.Chirps;

/// <summary>Rules for chirps and timeline queries.</summary>
public static class ChirpValidation
{
    public const int MaxLength = 140;

    public static ValidationProblem? Validate(CreateChirpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();
        errors.AddIfAny("body", TextRules.Check(request.Body, minLength: 1, maxLength: MaxLength, allowLineBreaks: true));
        return errors.ToProblem();
    }

    public static ValidationProblem? ValidateTimelineQuery(int? limit, string? after, out TimelineCursor? cursor)
    {
        var errors = new ValidationErrors();
        if (limit is < 1 or > TimelineReader.MaxLimit)
        {
            errors.Add("limit", $"must be from 1 to {TimelineReader.MaxLimit}.");
        }

        cursor = null;
        if (after is not null)
        {
            if (TimelineCursor.TryDecode(after, out var decoded))
            {
                cursor = decoded;
            }
            else
            {
                errors.Add("after", "is not a cursor this API returned (use nextCursor from the previous page).");
            }
        }

        return errors.ToProblem();
    }
}
