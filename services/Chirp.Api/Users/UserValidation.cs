using System.Net.Mail;
using System.Text.RegularExpressions;
using Chirp.Api.Errors;

namespace Chirp.Api.Users;

/// <summary>The rules for a new user; the same limits are CHECK constraints in migrations 0001 and 0006.</summary>
public static partial class UserValidation
{
    public static ValidationProblem? Validate(CreateUserRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();
        errors.AddIfAny("handle", CheckHandle(request.Handle));
        errors.AddIfAny("displayName", TextRules.Check(request.DisplayName, minLength: 1, maxLength: 50));
        errors.AddIfAny("email", CheckEmail(request.Email));
        if (request.Bio is not null)
        {
            errors.AddIfAny("bio", TextRules.Check(request.Bio, minLength: 0, maxLength: 160, allowLineBreaks: true));
        }

        return errors.ToProblem();
    }

    private static string? CheckHandle(string? handle) => handle switch
    {
        null => "is required.",
        _ when !HandlePattern().IsMatch(handle) => "must be 3 to 30 letters (A-Z, a-z), digits or underscores.",
        _ => null,
    };

    private static string? CheckEmail(string? email)
    {
        if (email is null)
        {
            return "is required.";
        }

        // MailAddress also accepts "Name <a@b.c>"; requiring its Address to be the whole input keeps only a bare address.
        return email.Length is >= 3 and <= 254
            && MailAddress.TryCreate(email, out var address)
            && string.Equals(address.Address, email, StringComparison.Ordinal)
            && email.All(c => c is > ' ' and < '\u007f')
                ? null
                : "must be an email address like ada@example.com (ASCII, at most 254 characters).";
    }

    [GeneratedRegex("^[A-Za-z0-9_]{3,30}$")]
    private static partial Regex HandlePattern();
}
