namespace Chirp.Api.Users;

/// <summary>POST /users. Properties are nullable so a missing one is reported as "is required" by validation.</summary>
public sealed record CreateUserRequest(string? Handle, string? DisplayName, string? Email, string? Bio = null);

/// <summary>A user's public profile (the email stays private).</summary>
public sealed record UserResponse
{
    public Guid Id { get; init; }

    public string Handle { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string? Bio { get; init; }

    public DateTime CreatedAt { get; init; }
}

/// <summary>The answer to POST /users: the new user, the email they registered, and their first API key, shown only here.</summary>
public sealed record CreatedUserResponse(UserResponse User, string Email, ApiKeys.NewApiKeyResponse ApiKey);
