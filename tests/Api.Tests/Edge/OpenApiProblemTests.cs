using System.Text.Json.Nodes;
using OrleansCloud.Api.Tests.Http;

namespace OrleansCloud.Api.Tests.Edge;

[Collection(AllInOneCollection.Name)]
public sealed class OpenApiProblemTests(AllInOneFactory factory)
{
    [Fact]
    public async Task TheProblemBody_IsDescribed_WithEveryCodeAsAnEnum()
    {
        var document = await Document();

        var problem = document["components"]!["schemas"]!["Problem"]!;
        var codes = problem["properties"]!["code"]!["enum"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        foreach (var code in new[] { "ERR_VALIDATION", "ERR_UNAUTHENTICATED", "ERR_FORBIDDEN", "ERR_TENANT_MISMATCH", "ERR_NOT_FOUND", "ERR_CONFLICT",
                     "ERR_QUOTA_EXCEEDED", "ERR_INVALID_STATE_TRANSITION", "ERR_NO_CAPACITY", "ERR_PAYLOAD_TOO_LARGE", "ERR_RATE_LIMITED" })
        {
            Assert.Contains(code, codes);
        }

        Assert.NotNull(problem["properties"]!["errors"]);
        Assert.NotNull(problem["properties"]!["traceId"]);
    }

    [Theory]
    [InlineData("/api/v1/admin/tenants", "post", new[] { "400", "401", "403", "409", "413", "429" })]
    [InlineData("/api/v1/admin/tenants/{tenantId}/quota", "put", new[] { "400", "401", "403", "404", "413", "429" })]
    [InlineData("/api/v1/admin/users", "post", new[] { "400", "401", "403", "409", "413", "429" })]
    [InlineData("/api/v1/tenant/jobs/{jobId}/steps", "post", new[] { "400", "401", "403", "404", "409", "413", "429" })]
    [InlineData("/api/v1/tenant/jobs", "get", new[] { "400", "401", "403", "429" })]
    [InlineData("/api/v1/auth/token", "post", new[] { "400", "401", "413", "429" })]
    public async Task EveryErrorARouteAnswers_IsListed_WithTheProblemBody(string path, string method, string[] statuses)
    {
        var document = await Document();

        var responses = document["paths"]![path]![method]!["responses"]!.AsObject();
        foreach (var status in statuses)
        {
            Assert.True(responses.ContainsKey(status), $"{method} {path} lacks {status}");
        }

        foreach (var (status, response) in responses.Where(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture) >= 400))
        {
            var schema = response!["content"]!["application/problem+json"]!["schema"]!;
            Assert.Equal("#/components/schemas/Problem", schema["$ref"]!.GetValue<string>());
        }
    }

    private async Task<JsonNode> Document() => JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
}
