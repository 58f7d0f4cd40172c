using Audit.Service;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAuditService();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapDefaultEndpoints();
app.MapAuditEndpoints();
app.Run();

/// <summary>The entry point, public so that tests can host the service with WebApplicationFactory.</summary>
public partial class Program;
